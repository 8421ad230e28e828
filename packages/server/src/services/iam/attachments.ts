/**
 * Managed policy attachments: Attach/Detach{User,Group,Role}Policy (10 per entity),
 * ListAttached{User,Group,Role}Policies and ListEntitiesForPolicy.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { NoSuchEntityError, PolicyNotAttachableError } from '../../domain/errors.js';
import type { IamQuotas } from '../../domain/quotas.js';
import { StoreLimitError } from '../../store/store-errors.js';
import type { AttachedPolicy, Page } from '../../domain/iam-entities.js';
import type { PolicyUsageFilter, PrincipalEntityKind } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { pageRequest, quotaExceeded, withMarker, type PagingInput } from './identity-common.js';
import { findPolicy, requirePolicy } from './managed-policies.js';
import { checkPolicyArn, policyNotAttachable } from './policy-documents.js';
import { KIND_TITLE, requireEntity, requireModifiableEntity } from './policy-entities.js';

const MAX_ATTACHED = {
  user: 'managedPoliciesPerUser',
  group: 'managedPoliciesPerGroup',
  role: 'managedPoliciesPerRole',
} as const satisfies Record<PrincipalEntityKind, keyof IamQuotas>;

/** Attach{User,Group,Role}Policy: idempotent, as in AWS. */
export async function attachPolicy(
  deps: ServiceDeps,
  input: { kind: PrincipalEntityKind; entityName: string; policyArn: string },
  ctx: RequestContext,
): Promise<void> {
  const accountId = ctx.caller.accountId;
  checkPolicyArn(input.policyArn);
  await deps.store.transaction(async (tx) => {
    const entity = await requireModifiableEntity(tx, accountId, input.kind, input.entityName);
    const policy = await findPolicy({ ...deps, store: tx }, accountId, input.policyArn);
    if (!policy) throw policyNotAttachable(input.policyArn);
    if (policy.kind === 'aws' && !policy.policy.isAttachable) {
      throw new PolicyNotAttachableError(`Cannot attach a Service Role Policy to a Customer ${KIND_TITLE[input.kind]}.`);
    }
    try {
      await tx.attachPolicy({ accountId, entity: entity.ref, policyArn: input.policyArn, maxAttached: deps.quotas[MAX_ATTACHED[input.kind]] });
    } catch (err) {
      if (err instanceof StoreLimitError) throw quotaExceeded(`PoliciesPer${KIND_TITLE[input.kind]}`, deps.quotas[MAX_ATTACHED[input.kind]]);
      throw err;
    }
  });
}

/** Detach{User,Group,Role}Policy: NoSuchEntity when the policy is not attached. */
export async function detachPolicy(
  deps: ServiceDeps,
  input: { kind: PrincipalEntityKind; entityName: string; policyArn: string },
  ctx: RequestContext,
): Promise<void> {
  checkPolicyArn(input.policyArn);
  await deps.store.transaction(async (tx) => {
    const entity = await requireModifiableEntity(tx, ctx.caller.accountId, input.kind, input.entityName);
    if (!(await tx.detachPolicy({ entity: entity.ref, policyArn: input.policyArn }))) {
      throw new NoSuchEntityError(`Policy ${input.policyArn} was not found.`);
    }
  });
}

/** ListAttached{User,Group,Role}Policies; `pathPrefix` filters the policies' paths. */
export async function listAttachedPolicies(
  deps: ServiceDeps,
  input: { kind: PrincipalEntityKind; entityName: string; pathPrefix?: string | undefined } & PagingInput,
  ctx: RequestContext,
): Promise<Page<AttachedPolicy>> {
  const entity = await requireEntity(deps.store, ctx.caller.accountId, input.kind, input.entityName);
  const page = await withMarker(() =>
    deps.store.listAttachedPolicies(entity.ref, { ...(input.pathPrefix !== undefined ? { pathPrefix: input.pathPrefix } : {}), ...pageRequest(input) }),
  );
  return { ...page, items: page.items.map((a) => ({ policyName: a.policyName, policyArn: a.policyArn })) };
}

/** The entities ListEntitiesForPolicy answers, by kind. */
export interface PolicyEntities {
  groups: Array<{ name: string; id: string }>;
  users: Array<{ name: string; id: string }>;
  roles: Array<{ name: string; id: string }>;
  isTruncated: boolean;
  marker?: string;
}

/**
 * ListEntitiesForPolicy: users, groups and roles the policy is attached to (`PermissionsPolicy`),
 * or that use it as boundary (`PermissionsBoundary`); both without a filter.
 */
export async function listEntitiesForPolicy(
  deps: ServiceDeps,
  input: {
    policyArn: string;
    entityFilter?: 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy' | undefined;
    pathPrefix?: string | undefined;
    policyUsageFilter?: PolicyUsageFilter | undefined;
  } & PagingInput,
  ctx: RequestContext,
): Promise<PolicyEntities> {
  const accountId = ctx.caller.accountId;
  await requirePolicy(deps, accountId, input.policyArn);
  const out: PolicyEntities = { groups: [], users: [], roles: [], isTruncated: false };
  const filter = input.entityFilter;
  // The managed-policy filters name policies, which are never attached to policies.
  if (filter === 'LocalManagedPolicy' || filter === 'AWSManagedPolicy') return out;
  const page = await withMarker(() =>
    deps.store.listEntitiesForPolicy({
      accountId,
      policyArn: input.policyArn,
      ...(filter ? { entityFilter: filter.toLowerCase() as PrincipalEntityKind } : {}),
      ...(input.policyUsageFilter ? { usageFilter: input.policyUsageFilter } : {}),
      ...(input.pathPrefix !== undefined ? { pathPrefix: input.pathPrefix } : {}),
      ...pageRequest(input),
    }),
  );
  for (const e of page.items) out[`${e.kind}s`].push({ name: e.name, id: e.id });
  out.isTruncated = page.isTruncated;
  if (page.marker !== undefined) out.marker = page.marker;
  return out;
}
