import type { RequestContext } from '../../domain/context.js';
import { InvalidAuthorizationMessageError } from '../../domain/errors.js';
import type { ServiceDeps } from '../service-deps.js';
import { refuseRestrictedSession } from './session-callers.js';

/** The DecodedMessage JSON of an encoded authorization message of this deployment. */
export function decodeAuthorizationMessage(deps: Pick<ServiceDeps, 'authorizationMessages'>, encoded: string, ctx: RequestContext): string {
  refuseRestrictedSession(ctx.caller, 'DecodeAuthorizationMessage');
  const decoded = deps.authorizationMessages.decode(encoded);
  // Castellan's wording: AWS's own text for an unreadable message is not documented.
  if (decoded === undefined) throw new InvalidAuthorizationMessageError('The encoded message is invalid.');
  return decoded;
}
