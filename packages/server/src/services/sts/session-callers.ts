import type { Principal } from '../../domain/context.js';
import { AccessDeniedError } from '../../domain/errors.js';

/** AWS's wording for a call the caller's kind of credentials may not make. */
function cannotCall(operation: string): AccessDeniedError {
  return new AccessDeniedError(`Cannot call ${operation} with session credentials`);
}

/**
 * AWS's refusal of temporary credentials for the calls only long-term credentials (an IAM user's
 * or the root's) may make: GetSessionToken and GetFederationToken. AWS's texts, as its clients
 * report them (hashicorp/vault#4108, aws/aws-sdk-net#1704). A console session is temporary
 * credentials too: otherwise a console-only user would turn a sign-in into API credentials that
 * outlive its sign-out.
 */
export function refuseSessionCaller(caller: Principal, operation: 'GetFederationToken' | 'GetSessionToken'): asserts caller is Principal & { type: 'IAMUser' | 'Root' } {
  if (temporaryCaller(caller) || (caller.type !== 'IAMUser' && caller.type !== 'Root')) throw cannotCall(operation);
}

/** True when the caller signed with temporary credentials: an STS session or a console session. */
export function temporaryCaller(caller: Principal): boolean {
  return caller.session !== undefined || caller.consoleSession !== undefined;
}

/**
 * The STS calls AWS documents as closed to some sessions: a federated user's (GetFederationToken)
 * may call no STS operation but GetCallerIdentity, and a GetSessionToken session none but
 * AssumeRole and GetCallerIdentity. The text extends AWS's for GetSessionToken to these calls.
 */
export function refuseRestrictedSession(caller: Principal, operation: 'AssumeRole' | 'DecodeAuthorizationMessage' | 'GetAccessKeyInfo'): void {
  const issuedBy = caller.session?.issuedBy;
  if (issuedBy === 'GetFederationToken' || (issuedBy === 'GetSessionToken' && operation !== 'AssumeRole')) throw cannotCall(operation);
}
