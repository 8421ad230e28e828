/**
 * Managed policies: CreatePolicy, GetPolicy, ListPolicies (Scope, OnlyAttached, PathPrefix,
 * PolicyUsageFilter, paging over AWS-managed and customer policies), DeletePolicy and policy tags.
 * Customer managed policies are store rows; AWS-managed ones come from `aws-managed-policies.ts`.
 *
 * @module
 */
import { policyArn as buildPolicyArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { DeleteConflictError, EntityAlreadyExistsError, InvalidInputError } from '../../domain/errors.js';
import { StoreConflictError, StoreReferenceError } from '../../store/store-errors.js';
import type { ManagedPolicy, Page, Tag } from '../../domain/iam-entities.js';
import type { ManagedPolicyRow, PolicyUsage, PolicyUsageFilter, Store } from '../../store/store.js';
import type { PolicyReader, ServiceDeps } from '../service-deps.js';
import { AWS_MANAGED_POLICY_PREFIX, isAwsManagedPolicyArn, type AwsManagedPolicy } from './aws-managed-policies.js';
import { allEntityTags, listEntityTags, putEntityTags, tagEntity, untagEntity, type TaggableKind } from './entity-tags.js';
import { checkTags, pageRequest, quotaExceeded, withMarker, type PagingInput } from './identity-common.js';
import { checkPolicyArn, noSuchPolicy, validatePolicyDocument } from './policy-documents.js';


/** The policy a request names: a customer row of the caller's account, or an AWS-managed one. */
export type ResolvedPolicy = { kind: 'customer'; row: ManagedPolicyRow } | { kind: 'aws'; policy: AwsManagedPolicy };

/** Finds the policy `arn` visible to `accountId`, or undefined. */
export async function findPolicy({ store, awsManagedPolicies }: PolicyReader, accountId: string, arn: string): Promise<ResolvedPolicy | undefined> {
  if (isAwsManagedPolicyArn(arn)) {
    const policy = awsManagedPolicies.get(arn);
    return policy ? { kind: 'aws', policy } : undefined;
  }
  const row = await store.getPolicyByArn(arn);
  return row && row.accountId === accountId ? { kind: 'customer', row } : undefined;
}

/** The policy `arn`, or NoSuchEntity "Policy … was not found.". */
export async function requirePolicy(reader: PolicyReader, accountId: string, arn: string): Promise<ResolvedPolicy> {
  checkPolicyArn(arn);
  const found = await findPolicy(reader, accountId, arn);
  if (!found) throw noSuchPolicy(arn);
  return found;
}

/** The customer policy `arn` of the caller's account (writes): AWS-managed ones cannot be changed. */
export async function requireCustomerPolicy(reader: PolicyReader, accountId: string, arn: string): Promise<ManagedPolicyRow> {
  const found = await requirePolicy(reader, accountId, arn);
  if (found.kind === 'aws') throw new InvalidInputError(`Policy ${arn} is an AWS managed policy and cannot be modified.`);
  return found.row;
}

/** The view of a customer managed policy row (tags only when given: CreatePolicy, GetPolicy). */
export function customerView(row: ManagedPolicyRow, tags?: Tag[]): ManagedPolicy {
  // Tags set after the literal, not spread into it: ListPolicies maps 100 rows a page.
  const view: ManagedPolicy = {
    name: row.name,
    id: row.id,
    arn: row.arn,
    path: row.path,
    defaultVersionId: row.defaultVersionId,
    attachmentCount: row.attachmentCount,
    permissionsBoundaryUsageCount: row.permissionsBoundaryUsageCount,
    isAttachable: true,
    description: row.description,
    createDate: row.createDate,
    updateDate: row.updateDate,
  };
  if (tags && tags.length > 0) view.tags = tags;
  return view;
}

/** The view of an AWS-managed policy with the account's usage of it. */
export function awsView(p: AwsManagedPolicy, usage: PolicyUsage | undefined): ManagedPolicy {
  return {
    name: p.name,
    id: p.id,
    arn: p.arn,
    path: p.path,
    defaultVersionId: p.defaultVersionId,
    attachmentCount: usage?.attachmentCount ?? 0,
    permissionsBoundaryUsageCount: usage?.permissionsBoundaryUsageCount ?? 0,
    isAttachable: p.isAttachable,
    createDate: p.createDate,
    updateDate: p.updateDate,
  };
}

/** Customer managed policies as a taggable kind; finding one tells AWS-managed policies apart. */
function policyTags(deps: Pick<ServiceDeps, 'awsManagedPolicies'>): TaggableKind {
  return {
    kind: 'policy',
    quotaName: 'TagsPerPolicy',
    checkTags,
    find: (store, accountId, arn) => requireCustomerPolicy({ store, awsManagedPolicies: deps.awsManagedPolicies }, accountId, arn),
  };
}

function policyExists(name: string): EntityAlreadyExistsError {
  return new EntityAlreadyExistsError(`A policy called ${name} already exists. Duplicate names are not allowed.`);
}

/** CreatePolicy: validated as an identity policy within the managed size quota; version `v1` is the default. */
export async function createPolicy(
  deps: ServiceDeps,
  input: { policyName: string; path?: string | undefined; policyDocument: string; description?: string | undefined; tags?: Tag[] | undefined },
  ctx: RequestContext,
): Promise<ManagedPolicy> {
  const accountId = ctx.caller.accountId;
  const path = input.path ?? '/';
  const tags = input.tags ?? [];
  checkTags(tags);
  validatePolicyDocument(deps, input.policyDocument, 'managed');
  return deps.store.transaction(async (tx) => {
    await tx.lockForUpdate({ kind: 'account', id: accountId });
    if ((await tx.countAccountEntities(accountId, 'policies')) >= deps.quotas.customerManagedPoliciesPerAccount) throw quotaExceeded('PoliciesPerAccount', deps.quotas.customerManagedPoliciesPerAccount);
    let row: ManagedPolicyRow;
    try {
      row = await tx.createPolicy({
        accountId,
        id: deps.ids.uniqueId('ANPA'),
        name: input.policyName,
        path,
        arn: buildPolicyArn(accountId, path, input.policyName),
        ...(input.description !== undefined ? { description: input.description } : {}),
        document: input.policyDocument,
        createDate: ctx.now,
      });
    } catch (err) {
      if (err instanceof StoreConflictError) throw policyExists(input.policyName);
      throw err;
    }
    if (tags.length > 0) await putEntityTags(tx, policyTags(deps), row.id, tags);
    return customerView(row, tags.map((t) => ({ key: t.key, value: t.value })));
  });
}

/** GetPolicy: customer policies with their tags; AWS-managed ones with this account's usage counts. */
export async function getPolicy(deps: ServiceDeps, input: { policyArn: string }, ctx: RequestContext): Promise<ManagedPolicy> {
  const accountId = ctx.caller.accountId;
  const found = await requirePolicy(deps, accountId, input.policyArn);
  if (found.kind === 'aws') {
    const usage = await deps.store.getPolicyUsage(accountId, [found.policy.arn]);
    return awsView(found.policy, usage.get(found.policy.arn));
  }
  const tags = await allEntityTags(deps.store, 'policy', found.row.id);
  return customerView(found.row, tags);
}

/** ListPolicies' filters. */
export interface ListPoliciesInput extends PagingInput {
  scope?: 'All' | 'AWS' | 'Local' | undefined;
  onlyAttached?: boolean | undefined;
  pathPrefix?: string | undefined;
  policyUsageFilter?: PolicyUsageFilter | undefined;
}

/** Markers of ListPolicies: which phase (AWS-managed, then local) and where in it. */
type ListMarker = { phase: 'aws'; after: string } | { phase: 'local'; store?: string };

// Markers stay compact (AWS caps Marker at 320 characters): `A` + the last AWS-managed name, or
// `L` + the store's own marker (already base64url), or a bare `L` at the start of the local phase.
function encodeMarker(m: ListMarker): string {
  return m.phase === 'aws' ? `A${Buffer.from(m.after).toString('base64url')}` : `L${m.store ?? ''}`;
}

function decodeMarker(text: string): ListMarker {
  if (text.startsWith('A') && text.length > 1) return { phase: 'aws', after: Buffer.from(text.slice(1), 'base64url').toString('utf8') };
  if (text.startsWith('L')) return text.length > 1 ? { phase: 'local', store: text.slice(1) } : { phase: 'local' };
  throw new InvalidInputError('Invalid value for marker: the marker was not returned by a previous call.');
}

function usageMatches(usage: PolicyUsage | undefined, onlyAttached: boolean, filter: PolicyUsageFilter | undefined): boolean {
  const attached = (usage?.attachmentCount ?? 0) > 0;
  const boundary = (usage?.permissionsBoundaryUsageCount ?? 0) > 0;
  if (filter === 'PermissionsPolicy' && !attached) return false;
  if (filter === 'PermissionsBoundary' && !boundary) return false;
  if (onlyAttached && !attached) return false;
  return true;
}

/**
 * ListPolicies. `Scope=All` lists the AWS-managed policies first, then the account's own; one
 * marker covers both phases. As AWS, listed policies carry no tags.
 */
export async function listPolicies(deps: ServiceDeps, input: ListPoliciesInput, ctx: RequestContext): Promise<Page<ManagedPolicy>> {
  const accountId = ctx.caller.accountId;
  const scope = input.scope ?? 'All';
  const maxItems = input.maxItems ?? 100;
  const pathPrefix = input.pathPrefix ?? '/';
  const onlyAttached = input.onlyAttached ?? false;
  let marker: ListMarker = scope === 'Local' ? { phase: 'local' } : { phase: 'aws', after: '' };
  if (input.marker !== undefined) marker = decodeMarker(input.marker);
  // A marker of the local phase (from a Local or All listing) cannot resume an AWS-only listing.
  if (scope === 'AWS' && marker.phase === 'local') throw new InvalidInputError('Invalid value for marker: the marker was not returned by a previous call.');
  const items: ManagedPolicy[] = [];

  if (marker.phase === 'aws') {
    if (scope === 'Local') throw new InvalidInputError('Invalid value for marker: the marker was not returned by a previous call.');
    // The AWS phase shows AWS-managed policies only: their usage, not the account's customer policies'.
    const usage = await deps.store.getPolicyUsage(accountId, { prefix: AWS_MANAGED_POLICY_PREFIX });
    const all = deps.awsManagedPolicies.list();
    const after = marker.after.toLowerCase();
    for (const p of all) {
      if (after && p.name.toLowerCase() <= after) continue;
      if (!p.path.startsWith(pathPrefix)) continue;
      const u = usage.get(p.arn);
      if (!usageMatches(u, onlyAttached, input.policyUsageFilter)) continue;
      if (items.length === maxItems) return { items, isTruncated: true, marker: encodeMarker({ phase: 'aws', after: items.at(-1)!.name }) };
      items.push(awsView(p, u));
    }
    if (scope === 'AWS') return { items, isTruncated: false };
    marker = { phase: 'local' };
  }
  if (items.length === maxItems) {
    // The AWS phase filled the page exactly: say more follows only if the local phase has any.
    const probe = await deps.store.listPolicies({ accountId, pathPrefix, onlyAttached, ...(input.policyUsageFilter ? { usageFilter: input.policyUsageFilter } : {}), maxItems: 1 });
    return probe.items.length > 0 ? { items, isTruncated: true, marker: encodeMarker({ phase: 'local' }) } : { items, isTruncated: false };
  }
  const page = await withMarker(() =>
    deps.store.listPolicies({
      accountId,
      pathPrefix,
      onlyAttached,
      ...(input.policyUsageFilter ? { usageFilter: input.policyUsageFilter } : {}),
      ...pageRequest({ marker: marker.phase === 'local' ? marker.store : undefined, maxItems: maxItems - items.length }),
    }),
  );
  items.push(...page.items.map((row) => customerView(row)));
  if (page.isTruncated) return { items, isTruncated: true, marker: encodeMarker({ phase: 'local', store: page.marker! }) };
  return { items, isTruncated: false };
}

/**
 * DeletePolicy: refused while attached to any entity or used as a boundary, and while it has
 * versions besides the default (the default goes with the policy). A policy used only as a
 * boundary is refused too, with the same DeleteConflict: AWS's answer in gruntwork-io/cloud-nuke#972.
 */
export async function deletePolicy(deps: ServiceDeps, input: { policyArn: string }, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  await deps.store.transaction(async (tx) => {
    const row = await requireCustomerPolicy({ ...deps, store: tx }, accountId, input.policyArn);
    await tx.lockForUpdate({ kind: 'policy', id: row.id });
    const fresh = (await tx.getPolicyById(row.id)) ?? row;
    if (fresh.attachmentCount > 0 || fresh.permissionsBoundaryUsageCount > 0) throw new DeleteConflictError('Cannot delete a policy attached to entities.');
    const versions = await tx.listPolicyVersions(row.id, { maxItems: 2 });
    if (versions.items.length > 1) {
      throw new DeleteConflictError("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    try {
      await tx.deletePolicy(row.id);
    } catch (err) {
      if (err instanceof StoreReferenceError) throw new DeleteConflictError('Cannot delete a policy attached to entities.');
      throw err;
    }
  });
}

/** TagPolicy (customer managed policies only; keys compare case-sensitively). */
export async function tagPolicy(deps: ServiceDeps, input: { policyArn: string; tags: Tag[] }, ctx: RequestContext): Promise<void> {
  await tagEntity(deps, policyTags(deps), input.policyArn, input.tags, ctx);
}

/** UntagPolicy: absent keys are ignored. */
export async function untagPolicy(deps: ServiceDeps, input: { policyArn: string; tagKeys: string[] }, ctx: RequestContext): Promise<void> {
  await untagEntity(deps, policyTags(deps), input.policyArn, input.tagKeys, ctx);
}

/** ListPolicyTags, in the order the tags were added. */
export async function listPolicyTags(deps: ServiceDeps, input: { policyArn: string } & PagingInput, ctx: RequestContext): Promise<Page<Tag>> {
  // An AWS managed policy exists and has no tags: a read of it is not a refused change.
  const found = await requirePolicy(deps, ctx.caller.accountId, input.policyArn);
  if (found.kind === 'aws') return { items: [], isTruncated: false };
  return listEntityTags(deps, policyTags(deps), input.policyArn, input, ctx);
}
