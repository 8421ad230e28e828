/**
 * Recognizes requests that carry no proof at all: no SigV4 (header or presigned) and no console
 * cookie. AWS accepts two such calls, AssumeRoleWithWebIdentity and AssumeRoleWithSAML, whose
 * proof is the identity provider's token in their input (the AWS SDKs and CLI send them
 * unsigned). This authenticator proves nothing: it answers an anonymous caller with the method
 * `unsigned`, and the pipeline lets such a call go on only to an operation that authenticates
 * its caller from its input (`OperationSpec.tokenAuthentication`); every other operation answers
 * `MissingAuthenticationToken`, as before. Ask it last.
 *
 * @module
 */
import type { Authentication, Authenticator } from '../../domain/ports/authenticator.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import { consoleSessionCookieName, cookieValue } from '../console/console-session-codec.js';

/** The caller of an unsigned request until its token is verified: nobody, in no account. */
const ANONYMOUS: Authentication = Object.freeze({
  principal: Object.freeze({ type: 'Unknown', accountId: '', arn: '', principalId: '', mfaAuthenticated: false }),
  facts: Object.freeze({ method: 'unsigned', temporaryCredentials: false }),
}) as Authentication;

/** Implements {@link Authenticator} for requests without credentials. */
export class UnsignedRequestAuthenticator implements Authenticator {
  recognizes(request: InboundRequest, secureTransport: boolean): boolean {
    if (request.header('authorization') !== undefined) return false;
    if (/(^|&)X-Amz-(Signature|Credential|Algorithm)=/i.test(request.query)) return false;
    return cookieValue(request.header('cookie'), consoleSessionCookieName(secureTransport)) === undefined;
  }

  async authenticate(): Promise<Authentication> {
    return ANONYMOUS;
  }
}
