/**
 * Kinds of attachment that Castellan does not issue yet: instance profiles. None can exist,
 * so for an existing role the true answer to "list them" is an empty list, and a missing
 * role is `NoSuchEntity` as on AWS. Clean-up tools call these before deleting an entity
 * (Terraform lists a role's instance profiles before DeleteRole), so answering them keeps those
 * tools working. The operations that would create such things still answer `NotImplemented`.
 */
import type { RequestContext } from '../../domain/context.js';
import type { ServiceDeps } from '../service-deps.js';
import { credentialSubject } from './identity-common.js';
import { requireRole } from './roles.js';

/** Checks the user (or the calling user/root without a name) exists; it has none of these credentials. */
export async function requireCredentialOwner(deps: ServiceDeps, input: { userName?: string | undefined }, ctx: RequestContext): Promise<void> {
  await credentialSubject(deps.store, ctx, input.userName);
}

/** Checks the role exists; it is in no instance profile. */
export async function requireRoleWithoutInstanceProfiles(deps: ServiceDeps, input: { roleName: string }, ctx: RequestContext): Promise<void> {
  await requireRole(deps.store, ctx.caller.accountId, input.roleName);
}
