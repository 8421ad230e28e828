/**
 * Inline policies of users, groups and roles: Put/Get/List/Delete{User,Group,Role}Policy. AWS's
 * size quota for inline policies is the sum over all of an entity's inline policies (characters
 * without whitespace): 2,048 for a user, 5,120 for a group, 10,240 for a role.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { LimitExceededError, NoSuchEntityError } from '../../domain/errors.js';
import { IAM_QUOTAS } from '../../domain/quotas.js';
import type { Page } from '../../domain/iam-entities.js';
import type { PrincipalEntityKind } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { pageRequest, withMarker, type PagingInput } from './identity-common.js';
import { inlinePolicySize, validatePolicyDocument } from './policy-documents.js';
import { requireEntity, requireModifiableEntity } from './policy-entities.js';

const INLINE_LIMIT: Record<PrincipalEntityKind, number> = {
  user: IAM_QUOTAS.userInlinePolicyChars,
  group: IAM_QUOTAS.groupInlinePolicyChars,
  role: IAM_QUOTAS.roleInlinePolicyChars,
};

function noSuchInline(kind: PrincipalEntityKind, name: string): NoSuchEntityError {
  return new NoSuchEntityError(`The ${kind} policy with name ${name} cannot be found.`);
}

/** Put{User,Group,Role}Policy: creates or replaces the named inline policy. */
export async function putInlinePolicy(
  deps: ServiceDeps,
  input: { kind: PrincipalEntityKind; entityName: string; policyName: string; policyDocument: string },
  ctx: RequestContext,
): Promise<void> {
  const accountId = ctx.caller.accountId;
  validatePolicyDocument(deps, input.policyDocument, 'inline');
  await deps.store.transaction(async (tx) => {
    const entity = await requireModifiableEntity(tx, accountId, input.kind, input.entityName);
    // The lock makes sum-then-write atomic against a concurrent Put on the same entity.
    await tx.lockForUpdate({ kind: input.kind, id: entity.ref.id });
    const others = await tx.listAllInlinePolicies([entity.ref]);
    let total = inlinePolicySize(input.policyDocument);
    for (const p of others) if (p.name.toLowerCase() !== input.policyName.toLowerCase()) total += inlinePolicySize(p.document);
    const limit = INLINE_LIMIT[input.kind];
    if (total > limit) throw new LimitExceededError(`Maximum policy size of ${limit} bytes exceeded for ${input.kind} ${entity.name}`);
    await tx.putInlinePolicy({ accountId, entity: entity.ref, name: input.policyName, document: input.policyDocument });
  });
}

/** Get{User,Group,Role}Policy: the entity's name as stored, the policy name and its document. */
export async function getInlinePolicy(
  deps: ServiceDeps,
  input: { kind: PrincipalEntityKind; entityName: string; policyName: string },
  ctx: RequestContext,
): Promise<{ entityName: string; policyName: string; policyDocument: string }> {
  const entity = await requireEntity(deps.store, ctx.caller.accountId, input.kind, input.entityName);
  const p = await deps.store.getInlinePolicy(entity.ref, input.policyName);
  if (!p) throw noSuchInline(input.kind, input.policyName);
  return { entityName: entity.name, policyName: p.name, policyDocument: p.document };
}

/** List{User,Group,Role}Policies: the names, paged. */
export async function listInlinePolicies(
  deps: ServiceDeps,
  input: { kind: PrincipalEntityKind; entityName: string } & PagingInput,
  ctx: RequestContext,
): Promise<Page<string>> {
  const entity = await requireEntity(deps.store, ctx.caller.accountId, input.kind, input.entityName);
  const page = await withMarker(() => deps.store.listInlinePolicies(entity.ref, pageRequest(input)));
  return { ...page, items: page.items.map((p) => p.name) };
}

/** Delete{User,Group,Role}Policy. */
export async function deleteInlinePolicy(
  deps: ServiceDeps,
  input: { kind: PrincipalEntityKind; entityName: string; policyName: string },
  ctx: RequestContext,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const entity = await requireModifiableEntity(tx, ctx.caller.accountId, input.kind, input.entityName);
    if (!(await tx.deleteInlinePolicy(entity.ref, input.policyName))) throw noSuchInline(input.kind, input.policyName);
  });
}
