/**
 * Permissions boundaries: Put/Delete{User,Role}PermissionsBoundary. The boundary must be a managed
 * policy (customer, in the caller's account, or AWS-managed) that exists; the authorizer honours
 * it on every request of the user (and of the role's sessions).
 *
 * @module
 */
import { parseIamResourceArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { InvalidInputError, NoSuchEntityError } from '../../domain/errors.js';
import type { PolicyReader, ServiceDeps } from '../service-deps.js';
import { findPolicy } from './managed-policies.js';
import { requireEntity, requireModifiableEntity } from './policy-entities.js';

/** Checks a boundary ARN as AWS does: a managed policy ARN that exists and can be used. */
export async function checkBoundaryPolicy(reader: PolicyReader, accountId: string, arn: string): Promise<void> {
  const parsed = parseIamResourceArn(arn);
  if (!parsed || parsed.type !== 'policy') throw new InvalidInputError(`ARN ${arn} is not valid.`);
  const found = await findPolicy(reader, accountId, arn);
  if (!found || (found.kind === 'aws' && !found.policy.isAttachable)) {
    throw new NoSuchEntityError(`Scope ARN: ${arn} does not exist or is not attachable.`);
  }
}

/** Put{User,Role}PermissionsBoundary: sets or replaces the boundary. */
export async function putPermissionsBoundary(
  deps: ServiceDeps,
  input: { kind: 'user' | 'role'; entityName: string; permissionsBoundary: string },
  ctx: RequestContext,
): Promise<void> {
  const accountId = ctx.caller.accountId;
  await deps.store.transaction(async (tx) => {
    const entity = await requireModifiableEntity(tx, accountId, input.kind, input.entityName);
    await checkBoundaryPolicy({ ...deps, store: tx }, accountId, input.permissionsBoundary);
    if (input.kind === 'user') await tx.updateUser(entity.ref.id, { permissionsBoundaryArn: input.permissionsBoundary });
    else await tx.updateRole(entity.ref.id, { permissionsBoundaryArn: input.permissionsBoundary });
  });
}

/** Delete{User,Role}PermissionsBoundary: clears it (a no-op when none is set, as in AWS). */
export async function deletePermissionsBoundary(
  deps: ServiceDeps,
  input: { kind: 'user' | 'role'; entityName: string },
  ctx: RequestContext,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const entity = await requireModifiableEntity(tx, ctx.caller.accountId, input.kind, input.entityName);
    if (input.kind === 'user') await tx.updateUser(entity.ref.id, { permissionsBoundaryArn: null });
    else await tx.updateRole(entity.ref.id, { permissionsBoundaryArn: null });
  });
}
