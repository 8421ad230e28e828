/**
 * `iam:ServiceSpecificCredentialServiceName`, the condition key AWS documents for
 * CreateServiceSpecificCredential and ResetServiceSpecificCredential: the service the credential is
 * (or would be) for. Added to the user target's condition keys.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import type { ServiceDeps } from '../service-deps.js';
import type { IamTargetSpec } from './iam-target.js';

/** `base` (a user target) plus the service-name key, from the input or from the existing credential. */
export function withServiceNameKey<I extends object>(
  base: (action: string) => IamTargetSpec<I>,
  serviceName: (input: I, ctx: RequestContext, deps: ServiceDeps) => Promise<string | undefined>,
): (action: string) => IamTargetSpec<I> {
  return (action) => {
    const spec = base(action);
    return {
      resource: spec.resource,
      conditionKeys: async (input, ctx, deps) => {
        const keys = await spec.conditionKeys(input, ctx, deps);
        const name = await serviceName(input, ctx, deps);
        return name === undefined ? keys : { ...keys, 'iam:ServiceSpecificCredentialServiceName': name };
      },
    };
  };
}

/** The service of an existing credential of the caller's account, if there is one. */
export async function credentialServiceName(deps: ServiceDeps, id: string, ctx: RequestContext): Promise<string | undefined> {
  const row = await deps.store.getServiceSpecificCredential(id);
  return row && row.accountId === ctx.caller.accountId ? row.serviceName : undefined;
}
