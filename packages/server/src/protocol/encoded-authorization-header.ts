import { AccessDeniedError, type AwsError } from '../domain/errors.js';

/**
 * The response header that carries a denial's encoded authorization message. AWS appends the
 * message to the error text only for some services (EC2 and others), never for IAM or STS, so the
 * visible error stays as AWS words it and the message travels beside it for the callers that want
 * it (sts:DecodeAuthorizationMessage reads it back).
 */
export const ENCODED_AUTHORIZATION_HEADER = 'x-castellan-encoded-authorization-message';

/** The header of `error`, when it carries an encoded message. */
export function encodedAuthorizationHeader(error: AwsError): Record<string, string> {
  return error instanceof AccessDeniedError && error.encodedAuthorizationMessage !== undefined ? { [ENCODED_AUTHORIZATION_HEADER]: error.encodedAuthorizationMessage } : {};
}
