import { awsErrorInfo } from '../model/aws-errors.js';

/**
 * Codes that AWS JSON services spell differently from the Query services (where Castellan's
 * domain errors take their names from).
 */
export const JSON_ERROR_CODES: Readonly<Record<string, string>> = Object.freeze({
  ValidationError: 'ValidationException',
  AccessDenied: 'AccessDeniedException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  RequestExpired: 'InvalidSignatureException',
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  ExpiredToken: 'ExpiredTokenException',
  ServiceFailure: 'InternalFailure',
  Throttling: 'ThrottlingException',
  // Castellan's own service reports IAM's missing entities (an instance profile) in JSON spelling.
  NoSuchEntity: 'NoSuchEntityException',
});

/** The one place an AWS JSON 1.1 error goes on the wire: `{"__type": code, "message": …}` with the model's status. */
export function serializeJsonError(code: string, message: string): { status: number; code: string; body: string } {
  const wire = JSON_ERROR_CODES[code] ?? code;
  return { status: awsErrorInfo(wire).httpStatus, code: wire, body: JSON.stringify({ __type: wire, message }) };
}
