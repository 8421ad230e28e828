import { createHash } from 'node:crypto';

/** The `prevHash` of the first event ever stored: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash that links a stored audit event to the one before it.
 *
 * INVARIANT: the store computes it inside the transaction that inserts the event, over the exact
 * JSON text it stores, so `castellan trail verify` can recompute it from the rows alone. Any edit,
 * deletion, insertion or reordering of rows breaks the chain at that point.
 */
export function chainHash(prevHash: string, seq: number, eventId: string, recordJson: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${eventId}\n${recordJson}`).digest('hex');
}
