import { UnknownOperationError } from '../../domain/errors.js';
import { findOperation, type OperationModel, type ServiceModel } from '../model/service-model.js';
import { assertValid } from '../validate-input.js';
import { decodeJsonInput } from './decode-json-input.js';

/** The media type of AWS JSON 1.1 requests and responses. */
export const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';

/**
 * Finds the operation named by `X-Amz-Target: <prefix>.<Operation>`. The prefix is the model's
 * `targetPrefix` (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`, what botocore sends) or
 * its last segment (`CloudTrail_20131101`, what the Smithy-based JavaScript SDK v3 sends).
 */
export function resolveJsonOperation(model: ServiceModel, target: string): OperationModel {
  const dot = target.lastIndexOf('.');
  const prefix = dot < 0 ? '' : target.slice(0, dot);
  const name = target.slice(dot + 1);
  const shortPrefix = model.targetPrefix?.slice(model.targetPrefix.lastIndexOf('.') + 1);
  const op = prefix !== '' && (prefix === model.targetPrefix || prefix === shortPrefix) ? findOperation(model, name) : undefined;
  if (!op) throw new UnknownOperationError(`The operation ${target} is not known to ${model.serviceId}.`);
  return op;
}

/**
 * Decodes and validates the JSON input of `op` (ValidationException wording shared with Query).
 * `received` gets the decoded input before it is validated (not when the body cannot be decoded),
 * so a refused call can still be audited with the parameters it sent.
 */
export function decodeJsonCall(model: ServiceModel, op: OperationModel, body: Uint8Array, received?: (input: Record<string, unknown>) => void): Record<string, unknown> {
  const input = decodeJsonInput(model, op.input, body);
  received?.(input);
  assertValid(model, op.input, input);
  return input;
}
