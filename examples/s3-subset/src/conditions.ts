/**
 * Conditional requests as S3 evaluates them (RFC 7232's rules): on GetObject and HeadObject
 * `If-Match`, `If-None-Match`, `If-Modified-Since`, `If-Unmodified-Since`; on PutObject the
 * conditional writes `If-None-Match: *` (only if there is no such object) and `If-Match: <etag>`;
 * on DeleteObject `If-Match`.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html
 * @module
 */
import { one, type Headers } from './headers.js';

/** What a condition decided: go on, answer 304, or refuse with 412 naming the condition. */
export type ConditionOutcome = { kind: 'proceed' } | { kind: 'not-modified' } | { kind: 'failed'; condition: string };

/** A write condition S3 does not have (`If-None-Match` other than `*`): S3 answers 501 NotImplemented naming the header. */
export interface UnsupportedCondition {
  kind: 'not-implemented';
  header: string;
}

/**
 * Whether an `If-Match`/`If-None-Match` list names the ETag (quoted or not, or `*`). `strong` is the
 * comparison a write's `If-Match` takes: the ETag itself, neither `*` nor a weak `W/` one.
 */
function names(list: string, etag: string, strong = false): boolean {
  return list
    .split(',')
    .map((t) => t.trim())
    .filter((t) => !strong || (t !== '*' && !t.startsWith('W/')))
    .map((t) => t.replace(/^W\//, '').replace(/^"|"$/g, ''))
    .some((t) => t === '*' || t === etag);
}

/** Seconds since the epoch of an HTTP date; undefined when it is not one (the header is then ignored). */
function seconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** The read conditions, for an object with this ETag (unquoted) and last modification. */
export function readConditions(headers: Headers, object: { etag: string; lastModified: string }): ConditionOutcome {
  const modified = Math.floor(Date.parse(object.lastModified) / 1000);
  const ifMatch = one(headers['if-match']);
  const ifNoneMatch = one(headers['if-none-match']);
  // If-Match that holds makes If-Unmodified-Since irrelevant; If-None-Match present replaces If-Modified-Since.
  if (ifMatch !== undefined) {
    if (!names(ifMatch, object.etag)) return { kind: 'failed', condition: 'If-Match' };
  } else {
    const since = seconds(one(headers['if-unmodified-since']));
    if (since !== undefined && modified > since) return { kind: 'failed', condition: 'If-Unmodified-Since' };
  }
  if (ifNoneMatch !== undefined) {
    if (names(ifNoneMatch, object.etag)) return { kind: 'not-modified' };
  } else {
    const since = seconds(one(headers['if-modified-since']));
    if (since !== undefined && modified <= since) return { kind: 'not-modified' };
  }
  return { kind: 'proceed' };
}

/**
 * The write conditions of PutObject against the object now stored (if any): `If-None-Match: *`
 * fails when there is one (any other value is not S3's: not implemented), `If-Match` when its
 * ETag differs (strong comparison), and with no object at all it is `NoSuchKey` (S3 answers 404 there).
 */
export function writeConditions(headers: Headers, existing: { etag: string } | undefined): ConditionOutcome | UnsupportedCondition | { kind: 'no-such-key' } {
  const ifNoneMatch = one(headers['if-none-match']);
  const ifMatch = one(headers['if-match']);
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') return { kind: 'not-implemented', header: 'If-None-Match' };
  if (ifNoneMatch !== undefined && existing) return { kind: 'failed', condition: 'If-None-Match' };
  if (ifMatch !== undefined) {
    if (!existing) return { kind: 'no-such-key' };
    if (!names(ifMatch, existing.etag, true)) return { kind: 'failed', condition: 'If-Match' };
  }
  return { kind: 'proceed' };
}

/**
 * DeleteObject's condition against the object now stored: `If-Match: *` holds for any object,
 * `If-Match: <etag>` for that ETag (strong comparison, as S3's conditional writes); with no object
 * at all it is `NoSuchKey` (S3 answers 404).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html
 */
export function deleteConditions(headers: Headers, existing: { etag: string } | undefined): ConditionOutcome | { kind: 'no-such-key' } {
  const ifMatch = one(headers['if-match']);
  if (ifMatch === undefined) return { kind: 'proceed' };
  if (!existing) return { kind: 'no-such-key' };
  return ifMatch.trim() === '*' || names(ifMatch, existing.etag, true) ? { kind: 'proceed' } : { kind: 'failed', condition: 'If-Match' };
}
