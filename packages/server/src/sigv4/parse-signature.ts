import { IncompleteSignatureError, InvalidParameterCombinationError, MissingAuthenticationTokenError, SignatureDoesNotMatchError } from '../domain/errors.js';
import type { ParsedSignature, SigV4Request } from './sigv4-request.js';
import { queryPairs } from './uri-encode.js';

/** The only algorithm accepted (SigV4A is not supported). */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS's longest presigned URL validity: 7 days. */
export const MAX_PRESIGN_EXPIRES_SECONDS = 604_800;

/**
 * Reads the query string into name -> value, form-decoded as the canonical request reads it. The
 * query's order is not signed (the canonical query is sorted), so a repeated name takes its smallest
 * value whatever the order, as the Query parameter reader does (`read-query-params.ts`).
 */
export function rawQueryParams(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of queryPairs(query)) {
    const seen = out.get(k);
    if (seen === undefined || v < seen) out.set(k, v);
  }
  return out;
}

/** `20240102T030405Z` -> Date, or undefined when malformed (every field in range: no rollover of `T106000Z` or 30 February). */
export function parseAmzDate(s: string): Date | undefined {
  // Requests signed in the same second share the text: the last one read is remembered.
  if (s === lastAmzDate.text) return new Date(lastAmzDate.ms);
  const d = readAmzDate(s);
  if (d) {
    lastAmzDate.text = s;
    lastAmzDate.ms = d.getTime();
  }
  return d;
}

const lastAmzDate = { text: '', ms: 0 };

function readAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getUTCDate() === day ? d : undefined;
}

/** Date -> `20240102T030405Z`. */
export function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The text in a request's access-key-id position of `Credential=` (Authorization header) or
 * `X-Amz-Credential`, read without parsing the rest, so what a request claims is known even when its
 * signature is malformed. The position is what comes before the scope's last four segments
 * (`/date/region/service/aws4_request`), so a secret with slashes pasted there is claimed whole; a
 * credential too short to have a scope is claimed whole. `undefined` when there is none.
 */
export function claimedAccessKeyId(req: SigV4Request): string | undefined {
  const authorization = req.header('authorization');
  const credential = authorization !== undefined
    ? /(?:^|[\s,])Credential=([^,]*)/.exec(authorization)?.[1]?.trim()
    : rawQueryParams(req.query).get('X-Amz-Credential');
  if (!credential) return undefined;
  const parts = credential.split('/');
  return parts.length >= 5 ? parts.slice(0, -4).join('/') || undefined : credential;
}

/** How a service reads presigned requests. */
export interface ParseSignatureOptions {
  /**
   * A presigned request may leave out `X-Amz-Expires` (then `expiresSeconds` is absent and
   * `checkRequestTime` gives it 15 minutes, `PRESIGN_DEFAULT_VALIDITY_MS`): AWS's STS accepts such URLs for 15 minutes, and the
   * SDK for Go v2's `PresignGetCallerIdentity` makes them. S3 requires the parameter (the default).
   */
  presignExpiresOptional?: boolean;
}

/**
 * Finds and parses the signature of a request, from the `Authorization` header or the presigned
 * query string. Throws `MissingAuthenticationToken` when there is none, `InvalidParameterCombination`
 * when there are both, `IncompleteSignature` when it is malformed (with AWS's wording), never looks
 * at keys or the clock.
 */
export function parseSignature(req: SigV4Request, options: ParseSignatureOptions = {}): ParsedSignature {
  const authorization = req.header('authorization');
  if (authorization !== undefined) {
    // A name can be percent-encoded (`X%2DAmz-…`): only a query with neither `Amz` nor `%` is skipped unread.
    if ((req.query.includes('Amz') || req.query.includes('%')) && hasPresignedParams(rawQueryParams(req.query))) {
      throw new InvalidParameterCombinationError(ONE_AUTH_MECHANISM);
    }
    return parseAuthorizationHeader(authorization, req);
  }
  const query = rawQueryParams(req.query);
  if (hasPresignedParams(query)) return parsePresigned(query, options.presignExpiresOptional === true);
  throw new MissingAuthenticationTokenError('Request is missing Authentication Token');
}

/** AWS's words (S3's `InvalidArgument`) for a request signed in both its header and its query string. */
export const ONE_AUTH_MECHANISM =
  'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified';

/** Whether the query carries a presigned signature (any of its parameters makes it one). */
const hasPresignedParams = (query: Map<string, string>): boolean =>
  query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential') || query.has('X-Amz-Signature');

function parseAuthorizationHeader(value: string, req: SigV4Request): ParsedSignature {
  const trimmed = value.trim();
  const fields = sameHeaderAs(recentHeaders[0], value) ?? sameHeaderAs(recentHeaders[1], value);
  return fromHeaderFields(fields ?? readHeaderFields(value, trimmed), trimmed, req);
}

type HeaderFields = Record<'Credential' | 'Signature' | 'SignedHeaders', string | undefined>;

/** A header's text up to and including its final part's `Signature=`, and its other fields. */
interface HeaderPrefix {
  prefix: string;
  credential: string;
  signedHeaders: string;
}

/**
 * A client's next request differs from its last one in its signature only (and that comes last):
 * the last two headers read whose final part was `Signature=…` and that had no white space around
 * them, newest first (two: a server alternates between a service's AuthorizeRequest calls and the
 * client requests they carry).
 */
let recentHeaders: [HeaderPrefix | undefined, HeaderPrefix | undefined] = [undefined, undefined];

/**
 * The fields of `value` when it is `known`'s prefix and 64 characters more without a comma (no
 * other part): the parts are `known`'s, and the final part's value (after its first `=`, the
 * prefix's last character) is the rest, trimmed, as {@link readHeaderFields} would read it.
 */
function sameHeaderAs(known: HeaderPrefix | undefined, value: string): HeaderFields | undefined {
  // `slice(…) ===` compares in one pass; `startsWith` went character by character (5 times slower).
  if (!known || value.length !== known.prefix.length + 64 || value.slice(0, known.prefix.length) !== known.prefix) return undefined;
  const rest = value.slice(known.prefix.length);
  return rest.indexOf(',') < 0 ? { Credential: known.credential, Signature: rest.trim(), SignedHeaders: known.signedHeaders } : undefined;
}

/** The three fields of an `Authorization` header (`trimmed` is `value` trimmed); a repeated one takes its last value. */
function readHeaderFields(value: string, trimmed: string): HeaderFields {
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new IncompleteSignatureError(`Unsupported AWS 'algorithm': '${algorithm}'. Authorization=${trimmed}`);
  }
  // Only these three fields are read; a repeated one takes its last value.
  const fields: HeaderFields = { Credential: undefined, Signature: undefined, SignedHeaders: undefined };
  // The comma-separated parts after the algorithm, walked in place (no list of parts). `eq` is the
  // next `=` at or after the part's start, found again only once passed, so the walk stays linear
  // however many parts lack one.
  let eq = -2;
  for (let start = space + 1; ; ) {
    const comma = trimmed.indexOf(',', start);
    const end = comma < 0 ? trimmed.length : comma;
    if (eq !== -1 && eq < start) eq = trimmed.indexOf('=', start);
    if (eq !== -1 && eq < end) {
      const name = trimmed.slice(start, eq).trim();
      if (name === 'Credential' || name === 'Signature' || name === 'SignedHeaders') fields[name] = trimmed.slice(eq + 1, end).trim();
      // Remembered for the next request (see `recentHeaders`): the signature comes last, as every SDK sends it.
      if (comma < 0 && name === 'Signature' && value === trimmed && fields.Credential && fields.SignedHeaders) {
        recentHeaders = [{ prefix: trimmed.slice(0, eq + 1), credential: fields.Credential, signedHeaders: fields.SignedHeaders }, recentHeaders[0]];
      }
    }
    if (comma < 0) break;
    start = comma + 1;
  }
  return fields;
}

function fromHeaderFields(fields: HeaderFields, trimmed: string, req: SigV4Request): ParsedSignature {
  const amzDate = req.header('x-amz-date');
  if (!fields.Credential || !fields.Signature || !fields.SignedHeaders || (!amzDate && !req.header('date'))) {
    const missing: string[] = [];
    for (const name of ['Credential', 'Signature', 'SignedHeaders'] as const) {
      if (!fields[name]) missing.push(`Authorization header requires '${name}' parameter.`);
    }
    if (!amzDate && !req.header('date')) {
      missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    throw new IncompleteSignatureError(`${missing.join(' ')} Authorization=${trimmed}`);
  }
  const dateText = amzDate ?? dateHeaderToAmz(req.header('date')!);
  return finish('header', fields.Credential, fields.SignedHeaders, fields.Signature, dateText, req.header('x-amz-security-token'));
}

const PRESIGN_REQUIRED = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];
const PRESIGN_REQUIRED_WITH_EXPIRES = [...PRESIGN_REQUIRED, 'X-Amz-Expires'];

function parsePresigned(query: Map<string, string>, expiresOptional: boolean): ParsedSignature {
  const missing = (expiresOptional ? PRESIGN_REQUIRED : PRESIGN_REQUIRED_WITH_EXPIRES).filter((p) => !query.get(p));
  if (missing.length > 0) {
    throw new IncompleteSignatureError(`AWS query-string parameters must include ${missing.map((p) => `'${p}'`).join(', ')}. Re-examine the query-string parameters.`);
  }
  const algorithm = query.get('X-Amz-Algorithm')!;
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new IncompleteSignatureError(`Unsupported AWS 'algorithm': '${algorithm}'.`);
  }
  // Absent only where the caller allows it; present (even empty) it must be valid.
  const expiresText = query.get('X-Amz-Expires');
  const expires = expiresText === undefined ? undefined : /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : NaN;
  if (expires !== undefined && (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_EXPIRES_SECONDS)) {
    throw new IncompleteSignatureError(
      `X-Amz-Expires must be a number of seconds between 1 and ${MAX_PRESIGN_EXPIRES_SECONDS} (7 days), got '${expiresText}'.`,
    );
  }
  const parsed = finish('presigned', query.get('X-Amz-Credential')!, query.get('X-Amz-SignedHeaders')!, query.get('X-Amz-Signature')!, query.get('X-Amz-Date')!, query.get('X-Amz-Security-Token'));
  return expires === undefined ? parsed : { ...parsed, expiresSeconds: expires };
}

function finish(kind: ParsedSignature['kind'], credential: string, signedHeaders: string, signature: string, amzDate: string, sessionToken: string | undefined): ParsedSignature {
  // A client sends the same credential request after request: the last two well-formed ones are remembered.
  let scope = recentCredentials[0]?.text === credential ? recentCredentials[0] : recentCredentials[1]?.text === credential ? recentCredentials[1] : undefined;
  if (!scope) {
    const parts = credential.split('/');
    if (parts.length !== 5) {
      throw new IncompleteSignatureError(
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
      );
    }
    const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];
    if (terminator !== 'aws4_request') {
      throw new IncompleteSignatureError(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
    }
    // AWS names an empty region for what it is (403), though the scope has its five elements.
    if (region === '') throw new SignatureDoesNotMatchError("Credential should be scoped to a valid region, not ''.");
    if (!accessKeyId || !service) {
      throw new IncompleteSignatureError(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
    }
    scope = { text: credential, accessKeyId, scopeDate, region, service, scopeDateIsDigits: /^\d{8}$/.test(scopeDate) };
    recentCredentials = [scope, recentCredentials[0]];
  }
  const { accessKeyId, scopeDate, region, service } = scope;
  const requestTime = parseAmzDate(amzDate);
  if (!requestTime) {
    throw new IncompleteSignatureError(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  if (!scope.scopeDateIsDigits || scopeDate !== amzDate.slice(0, 8)) {
    throw new SignatureDoesNotMatchError(
      `Credential should be scoped to a valid date: '${amzDate.slice(0, 8)}', not '${scopeDate}'.`,
    );
  }
  // A client signs the same headers request after request: the last two lists read are remembered (and copied).
  let list = recentSignedHeaders[0]?.text === signedHeaders ? recentSignedHeaders[0] : recentSignedHeaders[1]?.text === signedHeaders ? recentSignedHeaders[1] : undefined;
  if (!list) {
    const names = signedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean);
    list = { text: signedHeaders, names, hasHost: names.includes('host') };
    recentSignedHeaders = [list, recentSignedHeaders[0]];
  }
  const headers = list.names.slice();
  if (!list.hasHost) {
    throw new SignatureDoesNotMatchError("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const sig: ParsedSignature = { kind, accessKeyId, scopeDate, region, service, amzDate, requestTime, signedHeaders: headers, signature: signature.toLowerCase() };
  if (sessionToken !== undefined && sessionToken !== '') sig.sessionToken = sessionToken;
  return sig;
}

/** The last two `SignedHeaders` read, as lists, newest first (see `recentHeaders` for why two). */
let recentSignedHeaders: Array<{ text: string; names: string[]; hasHost: boolean } | undefined> = [undefined, undefined];

/** A credential that passed the checks above, in parts. */
interface CredentialScope {
  text: string;
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  scopeDateIsDigits: boolean;
}

/** The last two credentials that passed the checks above, newest first (see `recentHeaders` for why two). */
let recentCredentials: [CredentialScope | undefined, CredentialScope | undefined] = [undefined, undefined];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * The request time from a `Date` header, as `YYYYMMDDTHHMMSSZ`. AWS reads `X-Amz-Date` first and only
 * then `Date` ("Handling dates in Signature Version 4", AWS General Reference), and takes there either
 * its ISO 8601 basic format (`20150830T123600Z`, the example that page gives for the date header) or
 * HTTP's own date, RFC 7231 IMF-fixdate (`Mon, 09 Sep 2011 23:36:00 GMT`, the `Date` header of every
 * request in AWS's original SigV4 test suite, aws4_testsuite). Anything else (`2026-12-06 10:09:43`,
 * which `Date.parse` would take as local time) is returned unchanged, so it fails as malformed.
 */
export function dateHeaderToAmz(date: string): string {
  const value = date.trim();
  if (parseAmzDate(value)) return value;
  const m = /^([A-Z][a-z]{2}), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(value);
  if (!m) return date;
  const [, day, dd, mon, yyyy, hh, mi, ss] = m as unknown as [string, string, string, string, string, string, string, string];
  const month = MONTHS.indexOf(mon);
  const amz = `${yyyy}${String(month + 1).padStart(2, '0')}${dd}T${hh}${mi}${ss}Z`;
  const parsed = month < 0 ? undefined : parseAmzDate(amz);
  // The weekday must be the date's own, as RFC 7231 requires of a sender.
  return parsed && DAYS[parsed.getUTCDay()] === day ? amz : date;
}
