import type { RequestContext } from '../../domain/context.js';
import { InvalidAuthorizationMessageError } from '../../domain/errors.js';
import type { ServiceDeps } from '../service-deps.js';
import type { DecodedAuthorizationMessage } from './authorization-message-codec.js';
import { refuseRestrictedSession } from './session-callers.js';

/**
 * The DecodedMessage JSON of an encoded authorization message of this deployment, for a principal
 * of the account whose principal was denied: the message names that account's principal, policies'
 * statement ids and condition values, which another account has no business reading (as it could
 * not through IAM). A message of another account is answered as an unreadable one, so the answer
 * does not say whose it is: AWS documents no rule for it.
 */
export function decodeAuthorizationMessage(deps: Pick<ServiceDeps, 'authorizationMessages'>, encoded: string, ctx: RequestContext): string {
  refuseRestrictedSession(ctx.caller, 'DecodeAuthorizationMessage');
  const decoded = deps.authorizationMessages.decode(encoded);
  // Castellan's wording: AWS's own text for an unreadable message is not documented.
  if (decoded === undefined || accountOf(decoded) !== ctx.caller.accountId) throw new InvalidAuthorizationMessageError('The encoded message is invalid.');
  return decoded;
}

/** The account of the denied principal (the fifth field of its ARN). */
function accountOf(decoded: string): string | undefined {
  const arn = (JSON.parse(decoded) as DecodedAuthorizationMessage).context?.principal?.arn;
  return typeof arn === 'string' ? arn.split(':')[4] : undefined;
}
