/**
 * The error code CloudTrail records for a failed IAM or STS call. The wire carries the model's
 * code (`NoSuchEntity`, `PackedPolicyTooLarge`), but AWS's records name the model's exception
 * (`"errorCode": "NoSuchEntityException"`, `"LimitExceededException"` for IAM's `LimitExceeded`,
 * `"PackedPolicyTooLargeException"` for STS's: aws/containers-roadmap#2413). The common errors no
 * model lists keep their code (`AccessDenied`, `ValidationError`, `InvalidClientTokenId`).
 *
 * @module
 */
import type { AwsErrorCode } from '../domain/aws-error-code.js';
import { MODEL_ERROR_SHAPES } from './model/aws-errors.js';

/** `NoSuchEntity` -> `NoSuchEntityException`; a code that already is its exception's name, or a common one, as it is. */
export function recordedQueryErrorCode(code: AwsErrorCode): string {
  return Object.hasOwn(MODEL_ERROR_SHAPES, code) ? MODEL_ERROR_SHAPES[code]! : code;
}
