import { createHash, createHmac } from 'node:crypto';
import type { AuditEventRow, NewAuditEvent } from './store.js';

/** The `prevHash` of the first event ever stored: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The keyed formats: `v2:` (the record escaped inside one JSON array) and the current `v3:`. */
export type KeyedChainFormat = 'v2' | 'v3';

/** Prefix of hashes in the current format; `v2:` hashes remain valid, hashes of the first format are bare hex. */
const CURRENT_FORMAT = 'v3:';

/** What the key of the chain is derived for from the master key (`SecretBox.deriveKey`). */
export const AUDIT_CHAIN_KEY_PURPOSE = 'castellan audit chain v2';

/**
 * Computes a keyed hash of an event at `seq` after `prevHash` (the store's, with its key), in the
 * current format unless `format` names another.
 */
export type ChainHashFunction = (prevHash: string, seq: number, event: NewAuditEvent, format?: KeyedChainFormat) => string;

/**
 * The hash that links a stored audit event to the one before it: an HMAC-SHA256 under `key`, a key
 * derived from the master key that the database does not hold, so rewriting history and
 * recomputing the chain needs that key as well as write access. It covers the record text and
 * every column and resource row LookupEvents filters on (account, time, source, name, read-only,
 * user name, access key id, error code, resources in order), so editing any of them breaks the
 * chain, as editing the record does.
 *
 * INVARIANT: the store computes it inside the transaction that inserts the event, over the values
 * exactly as stored (after `storableText`), so `castellan trail verify` can recompute it from the
 * rows and the key. Any edit, deletion, insertion or reordering of rows breaks the chain there.
 */
export function chainHash(key: Uint8Array, prevHash: string, seq: number, event: NewAuditEvent, format: KeyedChainFormat = 'v3'): string {
  const text = format === 'v2' ? chainHashTextV2(prevHash, seq, event) : chainHashText(prevHash, seq, event);
  return `${format}:${createHmac('sha256', key).update(text).digest('hex')}`;
}

/** What `chainHash` prefixes to the HMAC (the current format's mark). */
export const CHAIN_HASH_PREFIX = CURRENT_FORMAT;

/**
 * The text the current format (`v3:`) authenticates: every covered value but the record, in order,
 * as one JSON array ending with the record's length, then a newline and the record as it is. The
 * array is a complete JSON text and gives the record's length, so the text still decodes to one
 * event only. Why not the record inside the array, as `v2:` has it: escaping a kilobyte of JSON
 * (every quote) cost more than the HMAC of the whole text, on every append and every verification.
 *
 * INVARIANT: self-contained (no module-level names), because the audit workers evaluate its
 * source (`workerSource` in `store/sql/audit-append-worker.ts`) to compute the same hash.
 */
export function chainHashText(prevHash: string, seq: number, event: NewAuditEvent): string {
  const fields = JSON.stringify([
    prevHash,
    seq,
    event.eventId,
    event.accountId,
    event.eventTime.getTime(),
    event.eventSource,
    event.eventName,
    event.readOnly,
    event.username ?? null,
    event.accessKeyId ?? null,
    event.errorCode ?? null,
    event.resources.map((r) => [r.type, r.name]),
    event.recordJson.length,
  ]);
  return `${fields}\n${event.recordJson}`;
}

/** What `chainHmacHex` needs of `node:crypto` (the audit workers pass their own). */
export interface ChainHmacCrypto {
  createHmac: typeof import('node:crypto').createHmac;
  createHash: typeof import('node:crypto').createHash;
  /** Node's one-shot hash (20.12+). */
  hash?: (algorithm: string, data: Uint8Array, encoding: 'hex' | 'binary') => string;
}

/**
 * HMAC-SHA256 under `key` for many messages, lower-case hex, as `createHmac` computes it: RFC 2104's
 * `H((K ^ opad) || H((K ^ ipad) || m))` with the padded keys prepared once and the one-shot hash
 * over a scratch buffer of this function's own, as `sigv4/hmac-sha256.ts` does for SigV4. An
 * `Hmac` object per event (key import, init, update, digest) cost a third more CPU than the two
 * hashes of a kilobyte record. Without the one-shot hash, or for a message too long for the
 * scratch buffer, `createHmac` does it.
 *
 * INVARIANT: self-contained (no module-level names), because the audit workers evaluate its
 * source (`workerSource` in `store/sql/audit-append-worker.ts`).
 */
export function chainHmacHex(key: Uint8Array, crypto: ChainHmacCrypto): (message: string) => string {
  const block = 64;
  const scratchBytes = 65_536;
  const oneShot = crypto.hash;
  // A key longer than the block is hashed first (RFC 2104 §2); the chain key is 32 bytes.
  const k = key.length > block ? crypto.createHash('sha256').update(key).digest() : key;
  // `(K ^ ipad) || m` is written here, `(K ^ opad) || H(...)` there: both this key's only.
  const scratch = Buffer.alloc(block + scratchBytes, 0x36);
  const outer = Buffer.alloc(block + 32, 0x5c);
  for (let i = 0; i < k.length; i++) {
    scratch[i]! ^= k[i]!;
    outer[i]! ^= k[i]!;
  }
  return (message) => {
    // At most 3 UTF-8 bytes per UTF-16 unit, so a message this short always fits.
    if (oneShot === undefined || message.length * 3 > scratchBytes) return crypto.createHmac('sha256', key).update(message).digest('hex');
    const n = scratch.write(message, block, 'utf8');
    // binary (latin1) maps each byte of the inner digest to one character and back without loss.
    outer.write(oneShot('sha256', scratch.subarray(0, block + n), 'binary'), block, 'binary');
    return oneShot('sha256', outer, 'hex');
  };
}

/** The text of the `v2:` format: every covered value, in order, the record included, as one JSON array. */
export function chainHashTextV2(prevHash: string, seq: number, event: NewAuditEvent): string {
  return JSON.stringify([
    prevHash,
    seq,
    event.eventId,
    event.accountId,
    event.eventTime.getTime(),
    event.eventSource,
    event.eventName,
    event.readOnly,
    event.username ?? null,
    event.accessKeyId ?? null,
    event.errorCode ?? null,
    event.resources.map((r) => [r.type, r.name]),
    event.recordJson,
  ]);
}

/**
 * The first format, which rows stored before the columns were covered carry: the record text only.
 * Verification still accepts it for those rows, and only before the first row of a keyed format.
 */
export function legacyChainHash(prevHash: string, seq: number, eventId: string, recordJson: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${eventId}\n${recordJson}`).digest('hex');
}

/** The keyed format `hash` claims, or `undefined` for the first format (see `legacyChainHash`). */
export function keyedChainFormat(hash: string): KeyedChainFormat | undefined {
  return hash.startsWith('v3:') ? 'v3' : hash.startsWith('v2:') ? 'v2' : undefined;
}

/** Whether `hash` is of the first format (see `legacyChainHash`). */
export function isLegacyChainHash(hash: string): boolean {
  return keyedChainFormat(hash) === undefined;
}

/**
 * Whether a stored row's `hash` is the hash of its content at `seq`, in the format it claims;
 * `keyed` computes the keyed formats (the store's `auditChainHash`, which holds the key).
 */
export function chainHashHolds(row: AuditEventRow, seq: number, keyed: ChainHashFunction): boolean {
  const format = keyedChainFormat(row.hash);
  return format === undefined
    ? legacyChainHash(row.prevHash, seq, row.eventId, row.recordJson) === row.hash
    : keyed(row.prevHash, seq, row, format) === row.hash;
}
