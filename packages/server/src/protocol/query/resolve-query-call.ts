import { InvalidActionError, MissingActionError } from '../../domain/errors.js';
import { findOperation, type OperationModel, type ServiceModel } from '../model/service-model.js';
import { assertValid } from '../validate-input.js';
import { decodeQueryInput } from './decode-query-input.js';

/** A decoded, validated Query call. */
export interface QueryCall {
  operation: OperationModel;
  /** The typed wire input (PascalCase members, as in `<service>-types.ts`). */
  input: Record<string, unknown>;
}

/**
 * Finds the operation named by `Action` for the service's `Version`. An unknown one answers what AWS's
 * Query services answer: `InvalidAction` (400, Sender) "Could not find operation GetSendStatistics for
 * version 2012-12-01" (quoted from AWS's reply in aws/aws-cli#37).
 */
export function resolveQueryOperation(model: ServiceModel, params: ReadonlyMap<string, string>): OperationModel {
  const action = params.get('Action');
  if (!action) throw new MissingActionError('Missing Action');
  const version = params.get('Version');
  const op = findOperation(model, action);
  if (!op || version !== model.apiVersion) {
    throw new InvalidActionError(`Could not find operation ${action} for version ${version || 'NO_VERSION_SPECIFIED'}`);
  }
  return op;
}

/**
 * Decodes the operation's input from the parameters and validates it against the model; every
 * problem is reported in one `ValidationError`. `received` gets the decoded input before it is
 * validated, so a refused call can still be audited with the parameters it sent (values that did
 * not convert are left out).
 */
export function decodeQueryCall(
  model: ServiceModel,
  op: OperationModel,
  params: ReadonlyMap<string, string>,
  received?: (input: Record<string, unknown>) => void,
): QueryCall {
  const { input, violations } = decodeQueryInput(model, op.input, params);
  received?.(input);
  assertValid(model, op.input, input, violations);
  return { operation: op, input };
}
