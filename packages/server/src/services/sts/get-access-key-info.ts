/**
 * sts:GetAccessKeyInfo: the account an access key id belongs to. Temporary (`ASIA…`) key ids
 * carry their account, as AWS's do; long-term keys are looked up.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { InvalidParameterValueError } from '../../domain/errors.js';
import type { ServiceDeps } from '../service-deps.js';
import { refuseRestrictedSession } from './session-callers.js';

/**
 * The account of `accessKeyId`. AWS decodes any well-formed key id; Castellan's long-term key ids
 * are random, so one it never issued has no account and is refused with InvalidParameterValue.
 */
export async function getAccessKeyInfo(deps: ServiceDeps, accessKeyId: string, ctx: RequestContext): Promise<{ account: string }> {
  refuseRestrictedSession(ctx.caller, 'GetAccessKeyInfo');
  const fromId = accessKeyId.startsWith('ASIA') ? deps.sessionTokens.accountOfAccessKeyId(accessKeyId) : undefined;
  const account = fromId ?? (await deps.store.getAccessKey(accessKeyId))?.accountId;
  if (account === undefined) throw new InvalidParameterValueError(`The access key ID ${accessKeyId} is not known to this deployment.`);
  return { account };
}
