import { awsErrorInfo } from '../model/aws-errors.js';
import { findShape, type ServiceModel } from '../model/service-model.js';

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

/**
 * The key of an error's message in `model`'s service. A modeled exception's message is its shape's
 * message member: `message` in Castellan's own model. CloudTrail's model as published for botocore
 * leaves the member out; AWS's Smithy model, from which the SDKs for Go v2 and JavaScript v3 are
 * generated, names it `Message`, which CloudTrail writes and the SDK for Go v2 reads into its typed
 * exceptions (that key only: with `message` their `ErrorMessage()` is empty). Errors no model lists
 * (`ValidationException`, `AccessDeniedException`, `ThrottlingException`…) come from AWS's front end
 * as `message`; every SDK reads either key for those.
 */
export function errorMessageKey(model: ServiceModel | undefined, wireCode: string): 'message' | 'Message' {
  const shape = model && findShape(model, wireCode);
  if (shape?.type !== 'structure' || !shape.exception) return 'message';
  return Object.keys(shape.members).find((m) => m.toLowerCase() === 'message') === 'message' ? 'message' : 'Message';
}

/**
 * The one place an AWS JSON 1.1 error goes on the wire: `{"__type": code, "message"|"Message": …}`
 * (see `errorMessageKey`) with the model's status.
 */
export function serializeJsonError(code: string, message: string, model?: ServiceModel): { status: number; code: string; body: string } {
  const wire = JSON_ERROR_CODES[code] ?? code;
  return { status: awsErrorInfo(wire).httpStatus, code: wire, body: JSON.stringify({ __type: wire, [errorMessageKey(model, wire)]: message }) };
}
