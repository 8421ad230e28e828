/**
 * Managed policy versions: CreatePolicyVersion (SetAsDefault, at most 5), GetPolicyVersion,
 * ListPolicyVersions, DeletePolicyVersion (never the default) and SetDefaultPolicyVersion.
 * AWS-managed policies answer reads with the versions the package carries.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { DeleteConflictError, InvalidInputError, LimitExceededError, NoSuchEntityError } from '../../domain/errors.js';
import { StoreLimitError } from '../../store/store-errors.js';
import type { Page, PolicyVersion } from '../../domain/iam-entities.js';
import type { ServiceDeps } from '../service-deps.js';
import { pageRequest, withMarker, type PagingInput } from './identity-common.js';
import { requireCustomerPolicy, requirePolicy } from './managed-policies.js';
import { validatePolicyDocument } from './policy-documents.js';


function noSuchVersion(arn: string, versionId: string): NoSuchEntityError {
  return new NoSuchEntityError(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
}

/** CreatePolicyVersion: validated as CreatePolicy's document; the store assigns `v<n+1>`. */
export async function createPolicyVersion(
  deps: ServiceDeps,
  input: { policyArn: string; policyDocument: string; setAsDefault?: boolean | undefined },
  ctx: RequestContext,
): Promise<PolicyVersion> {
  validatePolicyDocument(deps, input.policyDocument, 'managed');
  return deps.store.transaction(async (tx) => {
    const row = await requireCustomerPolicy({ ...deps, store: tx }, ctx.caller.accountId, input.policyArn);
    try {
      const v = await tx.createPolicyVersion({
        policyId: row.id,
        document: input.policyDocument,
        setAsDefault: input.setAsDefault ?? false,
        createDate: ctx.now,
        maxVersions: deps.quotas.policyVersionsPerPolicy,
      });
      return { versionId: v.versionId, isDefaultVersion: v.isDefaultVersion, createDate: v.createDate };
    } catch (err) {
      if (err instanceof StoreLimitError) {
        throw new LimitExceededError(
          `A managed policy can have up to ${deps.quotas.policyVersionsPerPolicy} versions. Before you create a new version, you must delete an existing version.`,
        );
      }
      throw err;
    }
  });
}

/** GetPolicyVersion. */
export async function getPolicyVersion(deps: ServiceDeps, input: { policyArn: string; versionId: string }, ctx: RequestContext): Promise<PolicyVersion> {
  const found = await requirePolicy(deps, ctx.caller.accountId, input.policyArn);
  if (found.kind === 'aws') {
    const document = await deps.awsManagedPolicies.versionDocument(found.policy.arn, input.versionId);
    const meta = found.policy.versions.find((v) => v.versionId === input.versionId);
    if (document === undefined || !meta) throw noSuchVersion(input.policyArn, input.versionId);
    return { versionId: meta.versionId, isDefaultVersion: meta.versionId === found.policy.defaultVersionId, createDate: meta.createDate, document };
  }
  const v = await deps.store.getPolicyVersion(found.row.id, input.versionId);
  if (!v) throw noSuchVersion(input.policyArn, input.versionId);
  return { versionId: v.versionId, isDefaultVersion: v.isDefaultVersion, createDate: v.createDate, document: v.document };
}

/** ListPolicyVersions, newest first. */
export async function listPolicyVersions(deps: ServiceDeps, input: { policyArn: string } & PagingInput, ctx: RequestContext): Promise<Page<PolicyVersion>> {
  const found = await requirePolicy(deps, ctx.caller.accountId, input.policyArn);
  if (found.kind === 'aws') {
    const all = found.policy.versions.map((v) => ({ versionId: v.versionId, isDefaultVersion: v.versionId === found.policy.defaultVersionId, createDate: v.createDate }));
    let start = 0;
    if (input.marker !== undefined) {
      start = Number(Buffer.from(input.marker, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start <= 0 || start >= all.length) throw new InvalidInputError('Invalid value for marker: the marker was not returned by a previous call.');
    }
    const max = input.maxItems ?? 100;
    const items = all.slice(start, start + max);
    const next = start + items.length;
    return next < all.length ? { items, isTruncated: true, marker: Buffer.from(String(next)).toString('base64url') } : { items, isTruncated: false };
  }
  const page = await withMarker(() => deps.store.listPolicyVersions(found.row.id, pageRequest(input)));
  return {
    ...page,
    items: page.items.map((v) => ({ versionId: v.versionId, isDefaultVersion: v.isDefaultVersion, createDate: v.createDate })),
  };
}

/** DeletePolicyVersion: the default version cannot be deleted (DeletePolicy removes it). */
export async function deletePolicyVersion(deps: ServiceDeps, input: { policyArn: string; versionId: string }, ctx: RequestContext): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const row = await requireCustomerPolicy({ ...deps, store: tx }, ctx.caller.accountId, input.policyArn);
    await tx.lockForUpdate({ kind: 'policy', id: row.id });
    const v = await tx.getPolicyVersion(row.id, input.versionId);
    if (!v) throw noSuchVersion(input.policyArn, input.versionId);
    if (v.isDefaultVersion) throw new DeleteConflictError('Cannot delete the default version of a policy.');
    await tx.deletePolicyVersion(row.id, input.versionId);
  });
}

/** SetDefaultPolicyVersion: takes effect for every principal the policy is attached to at once. */
export async function setDefaultPolicyVersion(deps: ServiceDeps, input: { policyArn: string; versionId: string }, ctx: RequestContext): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const row = await requireCustomerPolicy({ ...deps, store: tx }, ctx.caller.accountId, input.policyArn);
    if (!(await tx.setDefaultPolicyVersion(row.id, input.versionId))) throw noSuchVersion(input.policyArn, input.versionId);
  });
}
