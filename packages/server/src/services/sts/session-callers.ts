import type { Principal } from '../../domain/context.js';
import { AccessDeniedError } from '../../domain/errors.js';

/**
 * AWS's refusal of temporary credentials for the calls only long-term credentials (an IAM user's
 * or the root's) may make: GetSessionToken and GetFederationToken. AWS's texts, as its clients
 * report them (hashicorp/vault#4108, aws/aws-sdk-net#1704).
 */
export function refuseSessionCaller(caller: Principal, operation: 'GetFederationToken' | 'GetSessionToken'): asserts caller is Principal & { type: 'IAMUser' | 'Root' } {
  if (caller.session || (caller.type !== 'IAMUser' && caller.type !== 'Root')) throw new AccessDeniedError(`Cannot call ${operation} with session credentials`);
}
