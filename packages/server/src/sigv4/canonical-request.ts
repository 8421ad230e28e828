import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import type { ParsedSignature, SigV4Request } from './sigv4-request.js';
import { queryPairs, uriEncode } from './uri-encode.js';

/** The hex SHA-256 of the empty string, the payload hash of a body-less request. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Lower-case hex SHA-256. */
export function sha256Hex(data: Uint8Array | string): string {
  // Node's one-shot hash (20.12+, 21.7+) skips the Hash object: every request hashes its canonical request.
  return oneShotHash ? oneShotHash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/** Base64 SHA-256 (one-shot like {@link sha256Hex}). */
export function sha256Base64(data: Uint8Array | string): string {
  return oneShotHash ? oneShotHash('sha256', data, 'base64') : createHash('sha256').update(data).digest('base64');
}

const oneShotHash = (crypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: 'hex' | 'base64') => string }).hash;

/** How the request is canonicalized: AWS's services other than S3 normalize the path; S3 does not. */
export interface CanonicalOptions {
  /**
   * Remove `.`/`..` and empty segments and URI-encode the (already encoded) path once more, as every
   * service but S3 does (default). `false` is S3's rule: the path as sent, encoded once.
   */
  normalizePath?: boolean;
}

/**
 * The canonical URI: for a non-S3 service the path normalized (`.`/`..` and empty segments removed)
 * and then URI-encoded once more, as the SDKs sign it (each segment double-encoded); with
 * `normalizePath: false` (S3) the path as sent, encoded once.
 */
export function canonicalUri(path: string, options: CanonicalOptions = {}): string {
  if (path === '/') return path;
  if (options.normalizePath === false) return UNRESERVED_PATH.test(path) ? path || '/' : uriEncode(path).replace(/%2F/g, '/') || '/';
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalized).replace(/%2F/g, '/') || '/';
}

/**
 * The canonical query string: each name and value decoded, re-encoded per RFC 3986, sorted;
 * `X-Amz-Signature` dropped. Decoding is form decoding (`queryPairs`), so a `+` is a space here as it
 * is to the parameter reader: `a+b` is canonicalized as `a%20b`, and a literal plus must be sent as
 * `%2B` (every AWS SDK does). This is how AWS's own signers read a query they are handed: the Rust SDK's
 * aws-sigv4 canonicalizes a `+` as `%20` (smithy-lang/smithy-rs#4227), and S3 accepts a presigned URL
 * whose spaces were sent as `+` but signed as `%20` (mhart/aws4fetch#83). SigV4 itself only says how
 * to encode ("the space character must be encoded as %20, not +": AWS's "Create a canonical request").
 */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of queryPairs(query)) {
    if (name === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** A path that encodes to itself (the common case: checked once instead of byte by byte). */
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
/** Whitespace that canonicalization changes: at either end, a run, or anything but a space. */
const NEEDS_CANONICAL_SPACE = /^\s|\s$|\s\s|[^\S ]/;

/** A header value as SigV4 canonicalizes it: trimmed, inner runs of whitespace collapsed to one space. */
export function canonicalHeaderValue(value: string): string {
  return !plainHeaderValue(value) && NEEDS_CANONICAL_SPACE.test(value) ? value.trim().replace(/\s+/g, ' ') : value;
}

/**
 * True for the common value that canonicalization leaves as it is, checked in one loop (the regular
 * expression tried its alternatives at every character): printable ASCII with single spaces
 * inside. Anything else (other white space, non-ASCII) is left to `NEEDS_CANONICAL_SPACE`.
 */
function plainHeaderValue(value: string): boolean {
  const last = value.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) continue;
    if (c !== 0x20 || i === 0 || i === last || value.charCodeAt(i - 1) === 0x20) return false;
  }
  return true;
}

/**
 * The payload hash the signature covers. A declared `x-amz-content-sha256` (or presigned
 * `X-Amz-Content-Sha256`) is used as signed, but must match the body: a 64-hex hash is compared with
 * the body's, and `UNSIGNED-PAYLOAD` is only accepted for an empty body, so a captured signature
 * cannot be replayed with another Query body. Returns `undefined` when the declaration does not hold.
 */
export function payloadHash(req: SigV4Request, sig: ParsedSignature): string | undefined {
  const actual = req.body.length === 0 ? EMPTY_SHA256 : sha256Hex(req.body);
  let declared = req.header('x-amz-content-sha256');
  if (!declared && sig.kind === 'presigned') declared = queryPairs(req.query).find(([name]) => name === 'X-Amz-Content-Sha256')?.[1];
  if (!declared) return actual;
  if (declared === 'UNSIGNED-PAYLOAD') return req.body.length === 0 ? declared : undefined;
  return declared.toLowerCase() === actual ? declared : undefined;
}

/** Builds the canonical request exactly per AWS's SigV4 specification; `undefined` if the payload hash is false. */
export function buildCanonicalRequest(req: SigV4Request, sig: ParsedSignature, options: CanonicalOptions = {}): string | undefined {
  const hash = payloadHash(req, sig);
  if (hash === undefined) return undefined;
  return canonicalRequestWithPayloadHash(req, sig, hash, options);
}

/**
 * The canonical request over a payload hash the caller has settled: a service that forwards a
 * request it received (`services/authorizer/`) has the declared hash but not the body.
 */
export function canonicalRequestWithPayloadHash(req: Omit<SigV4Request, 'body'>, sig: ParsedSignature, hash: string, options: CanonicalOptions = {}): string {
  // One string built in one pass: method, URI, query, header lines, signed header list, payload hash.
  let out = `${req.method.toUpperCase()}\n${canonicalUri(req.path, options)}\n${canonicalQuery(req.query)}\n`;
  for (const name of sig.signedHeaders) {
    let value = req.header(name);
    if (value === undefined && name === 'host') value = req.host;
    out += `${name}:${canonicalHeaderValue(value ?? '')}\n`;
  }
  return `${out}\n${signedHeaderList(sig.signedHeaders)}\n${hash}`;
}

/**
 * The last two lists joined, newest first: a client signs the same headers each time (the parser
 * hands out copies of one list), and a server alternates between a service's calls and its clients'.
 */
let recentJoined: Array<{ names: readonly string[]; text: string } | undefined> = [undefined, undefined];

/** `names` joined with `;`. */
function signedHeaderList(names: readonly string[]): string {
  for (const known of recentJoined) if (known && sameNames(known.names, names)) return known.text;
  const text = names.join(';');
  recentJoined = [{ names: names.slice(), text }, recentJoined[0]];
  return text;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The string to sign: algorithm, request time, credential scope, hash of the canonical request. */
export function buildStringToSign(canonicalRequest: string, sig: ParsedSignature): string {
  const scope = `${sig.scopeDate}/${sig.region}/${sig.service}/aws4_request`;
  return `AWS4-HMAC-SHA256\n${sig.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}
