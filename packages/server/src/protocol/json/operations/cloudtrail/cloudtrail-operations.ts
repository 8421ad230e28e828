/**
 * Every CloudTrail operation Castellan implements. ListPublicKeys answers the digest signing key,
 * known only when the composition root has loaded it, so the list is built from it.
 *
 * @module
 */
import type { TrailPublicKey } from '../../../../audit/export/signing-key.js';
import type { AnyOperation } from '../../../define-operation.js';
import { listPublicKeysOperation } from './list-public-keys.js';
import { lookupEvents } from './lookup-events.js';

/** What the CloudTrail operations need at construction. */
export interface CloudTrailOperationsConfig {
  /** The key that verifies digest files (ListPublicKeys). */
  publicKey: TrailPublicKey;
}

/** The CloudTrail operations, for `OperationRegistry.register(...cloudTrailOperations({ publicKey }))`. */
export function cloudTrailOperations(config: CloudTrailOperationsConfig): ReadonlyArray<AnyOperation> {
  return [lookupEvents, listPublicKeysOperation(config.publicKey)];
}
