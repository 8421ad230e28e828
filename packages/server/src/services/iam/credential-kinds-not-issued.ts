/**
 * Kinds of credential that Castellan does not issue yet: MFA devices, SSH public keys, signing
 * certificates and service-specific credentials. None can exist, so for an existing user the true
 * answer to "list them" is an empty list, and a missing user is `NoSuchEntity` as on AWS. Clean-up
 * tools call these before deleting an entity, so answering them keeps those tools working. The
 * operations that would create such things still answer `NotImplemented`.
 */
import type { RequestContext } from '../../domain/context.js';
import type { ServiceDeps } from '../service-deps.js';
import { credentialSubject } from './identity-common.js';

/** Checks the user (or the calling user/root without a name) exists; it has none of these credentials. */
export async function requireCredentialOwner(deps: ServiceDeps, input: { userName?: string | undefined }, ctx: RequestContext): Promise<void> {
  await credentialSubject(deps.store, ctx, input.userName);
}

