/**
 * Who may administer the deployment: principals of its management account, the first account
 * (made by bootstrap), as only AWS Organizations' management account may create accounts. The
 * account operations are authorized on a resource of the management account, so the engine's
 * ordinary rules decide: the management account's root may, its users and roles need an identity
 * policy allowing `castellan:<Operation>`, and any other account's principal is refused (a
 * cross-account call needs the resource's own policy to allow it, and these resources have none).
 *
 * @module
 */
import { ServiceFailureError } from '../../../../domain/errors.js';
import { managementAccountId } from '../../../../services/accounts/hosted-accounts.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** The management account's id; a running server always has one. */
export async function requireManagementAccount(deps: Pick<ServiceDeps, 'store'>): Promise<string> {
  const id = await managementAccountId(deps.store);
  if (!id) throw new ServiceFailureError('the deployment has no management account');
  return id;
}

/** The authorization target of an account operation: `*` owned by the management account. */
export const managementTarget = {
  resource: () => '*',
  resourceAccount: (_input: unknown, _ctx: unknown, deps: ServiceDeps) => requireManagementAccount(deps),
};
