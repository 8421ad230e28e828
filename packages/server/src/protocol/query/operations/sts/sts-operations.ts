/**
 * Every STS operation Castellan implements, for `OperationRegistry.register(...STS_OPERATIONS)`.
 *
 * @module
 */
import type { AnyOperation } from '../../../define-operation.js';
import { getCallerIdentity } from './get-caller-identity.js';

/** The STS operations. */
export const STS_OPERATIONS: ReadonlyArray<AnyOperation> = [getCallerIdentity];
