/**
 * Refused calls in the trail. LookupEvents has no attribute for them (AWS's has none either, and
 * Castellan's LookupEvents stays AWS's), so the console reads pages of the search and keeps the
 * refused events: a bounded number of pages per click, each page kept whole, so the token it
 * answers goes on from exactly where the reading stopped.
 */

/** Record error codes of a refusal, as Query services (IAM, STS) and JSON ones (CloudTrail, Castellan) record them. */
const REFUSAL_CODES = new Set([
  // Denied by a policy.
  'AccessDenied',
  'AccessDeniedException',
  // Failed authentication: unknown or inactive key, bad signature, none, expired.
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'RequestExpired',
  'ExpiredToken',
  'ExpiredTokenException',
  // An identity provider's claims that do not allow the federation asked for, and a forged,
  // expired or otherwise invalid federation token (STS records either spelling).
  'IDPRejectedClaimException',
  'InvalidIdentityTokenException',
  'InvalidIdentityToken',
]);

export interface RefusalFacts {
  eventName?: string;
  errorCode?: string;
  responseElements?: unknown;
}

/** Whether a record is of a refused call: one of {@link REFUSAL_CODES}, or a failed console sign-in (recorded without an error code). */
export function isRefusal(record: RefusalFacts): boolean {
  if (record.errorCode !== undefined) return REFUSAL_CODES.has(record.errorCode);
  const response = record.responseElements as { ConsoleLogin?: unknown } | null | undefined;
  return record.eventName === 'ConsoleLogin' && response?.ConsoleLogin === 'Failure';
}

/** One LookupEvents answer, as far as paging goes. */
export interface LookupPage<E> {
  Events?: E[];
  NextToken?: string;
}

/** How much one "find refused calls" click reads: 20 pages of 50 (LookupEvents' largest page). */
export const REFUSED_SCAN_PAGES = 20;

/**
 * Reads pages from `token` (none: the first), keeping the events `refused` holds, until `want` are
 * kept, the search ends, or `maxPages` pages were read. Answers the kept events, how many events
 * were read, and the token of the next unread page (undefined at the end of the search).
 */
export async function readRefused<E>(
  lookup: (token: string | undefined) => Promise<LookupPage<E>>,
  refused: (event: E) => boolean,
  { token, want = 50, maxPages = REFUSED_SCAN_PAGES }: { token?: string; want?: number; maxPages?: number } = {},
): Promise<{ events: E[]; read: number; nextToken?: string }> {
  const events: E[] = [];
  let read = 0;
  let next = token;
  for (let pages = 0; pages < maxPages && events.length < want; pages++) {
    const page = await lookup(next);
    const pageEvents = page.Events ?? [];
    read += pageEvents.length;
    for (const e of pageEvents) if (refused(e)) events.push(e);
    next = page.NextToken || undefined;
    if (next === undefined) break;
  }
  return { events, read, ...(next !== undefined ? { nextToken: next } : {}) };
}
