/**
 * Every CloudTrail operation Castellan implements. ListPublicKeys answers the digest signing key,
 * and the trail describing operations the deployment's trail settings, known only when the
 * composition root has loaded them, so the list is built from them. Of the trail mutations, those
 * that make sense for the account's one trail are implemented (StartLogging, StopLogging,
 * AddTags, RemoveTags, PutEventSelectors); the
 * others (CreateTrail, DeleteTrail, UpdateTrail…) are not.
 *
 * @module
 */
import type { TrailPublicKey } from '../../../../audit/export/signing-key.js';
import type { TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import type { AnyOperation } from '../../../define-operation.js';
import { describeTrailsOperation } from './describe-trails.js';
import { getEventSelectorsOperation } from './get-event-selectors.js';
import { getInsightSelectorsOperation } from './get-insight-selectors.js';
import { getTrailStatusOperation } from './get-trail-status.js';
import { getTrailOperation } from './get-trail.js';
import { listPublicKeysOperation } from './list-public-keys.js';
import { listTagsOperation } from './list-tags.js';
import { listTrailsOperation } from './list-trails.js';
import { lookupEvents } from './lookup-events.js';
import { startLoggingOperation, stopLoggingOperation } from './trail-logging.js';
import { addTagsOperation, removeTagsOperation } from './trail-tags.js';
import { putEventSelectorsOperation } from './put-event-selectors.js';

/** What the CloudTrail operations need at construction. */
export interface CloudTrailOperationsConfig {
  /** The key that verifies digest files (ListPublicKeys). */
  publicKey: TrailPublicKey;
  /** Every account's trail: home region, log file validation, deliveries. */
  trail: TrailSettings;
}

/** The CloudTrail operations, for `OperationRegistry.register(...cloudTrailOperations({ publicKey, trail }))`. */
export function cloudTrailOperations(config: CloudTrailOperationsConfig): ReadonlyArray<AnyOperation> {
  const { trail } = config;
  return [
    lookupEvents,
    listPublicKeysOperation(config.publicKey),
    describeTrailsOperation(trail),
    getTrailOperation(trail),
    listTrailsOperation(trail),
    getTrailStatusOperation(trail),
    getEventSelectorsOperation(trail),
    getInsightSelectorsOperation(trail),
    listTagsOperation(trail),
    startLoggingOperation(trail),
    stopLoggingOperation(trail),
    addTagsOperation(trail),
    removeTagsOperation(trail),
    putEventSelectorsOperation(trail),
  ];
}
