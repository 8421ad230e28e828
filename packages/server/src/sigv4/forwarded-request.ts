/**
 * SigV4 verification of a request another service received and forwarded (its method, path, query
 * and headers; never its body): the payload hash is what the request declares, and the service
 * checks the body against it as it reads it (S3's model: authorize first, stream the body after).
 *
 * @module
 */
import { SignatureDoesNotMatchError } from '../domain/errors.js';
import { buildStringToSign, canonicalRequestWithPayloadHash, EMPTY_SHA256, type CanonicalOptions } from './canonical-request.js';
import { constantTimeEquals } from './constant-time-equals.js';
import { HmacSha256Key } from './hmac-sha256.js';
import { rawQueryParams } from './parse-signature.js';
import { uriDecode } from './uri-encode.js';
import type { ParsedSignature, SigV4Request } from './sigv4-request.js';

/** The payload hash of a request whose body is not signed (presigned S3 URLs, S3 over TLS). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Chunked body, each chunk signed (`aws-chunked`). */
export const STREAMING_SIGNED_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
/** Chunked body, each chunk signed, then a signed trailer (a checksum). */
export const STREAMING_SIGNED_PAYLOAD_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
/** Chunked body, unsigned, with a checksum trailer (what current SDKs send for streamed uploads). */
export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** A request as a service received it: headers by lower-case name, path and query still encoded. */
export interface ForwardedRequest {
  method: string;
  /** The path as received, still percent-encoded. */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  /** Lower-case header names; repeated headers joined with `,`. */
  headers: Readonly<Record<string, string>>;
}

/** The `SigV4Request` view of a forwarded request (no body: its hash is declared). */
export function forwardedSigV4Request(req: ForwardedRequest): SigV4Request {
  const headers = req.headers;
  return {
    method: req.method,
    path: req.path,
    query: req.query,
    header: (name) => (Object.hasOwn(headers, name) ? headers[name] : undefined),
    host: headers['host'] ?? '',
    body: NO_BODY,
  };
}

/** Shared by every forwarded request: an empty array cannot be written to. */
const NO_BODY = new Uint8Array(0);

/** What the signature says about the body, and so what the service must check as it reads it. */
export type PayloadDeclaration =
  /** The body must hash (SHA-256, hex) to `sha256`. */
  | { kind: 'sha256'; sha256: string }
  /** The body is not covered by the signature. */
  | { kind: 'unsigned' }
  /** An `aws-chunked` body whose chunks are signed (and, with `trailer`, a signed trailer). */
  | { kind: 'streaming-signed'; trailer: boolean }
  /** An `aws-chunked` body, unsigned, with a checksum trailer. */
  | { kind: 'streaming-unsigned-trailer' };

/** How the payload hash is settled for a service's requests. */
export interface PayloadOptions {
  /**
   * S3's rules: a header-signed request must declare `x-amz-content-sha256`, and a presigned URL
   * without `X-Amz-Content-Sha256` is `UNSIGNED-PAYLOAD`. Other services sign the body's hash.
   */
  s3: boolean;
  /** The body's SHA-256 (hex) when the service computed it; checked against a declared hash. */
  bodySha256?: string;
}

/**
 * The payload hash the canonical request uses and what it obliges the service to check. Throws
 * `SignatureDoesNotMatch` when the declaration is malformed, missing where required, or contradicts
 * the body hash the service computed.
 */
export function declaredPayload(req: SigV4Request, sig: ParsedSignature, options: PayloadOptions): { hash: string; declaration: PayloadDeclaration } {
  let declared = req.header('x-amz-content-sha256')?.trim();
  if (declared === undefined && sig.kind === 'presigned') declared = rawQueryParams(req.query).get('X-Amz-Content-Sha256');
  const given = options.bodySha256?.toLowerCase();
  if (declared === undefined) {
    if (options.s3 && sig.kind === 'presigned') return { hash: UNSIGNED_PAYLOAD, declaration: { kind: 'unsigned' } };
    if (options.s3) throw new SignatureDoesNotMatchError('Missing required header for this request: x-amz-content-sha256');
    const hash = given ?? (sig.kind === 'presigned' ? EMPTY_SHA256 : undefined);
    if (hash === undefined) throw new SignatureDoesNotMatchError('The request declares no x-amz-content-sha256 and the service gave no body hash');
    return { hash, declaration: { kind: 'sha256', sha256: hash } };
  }
  switch (declared) {
    case UNSIGNED_PAYLOAD:
      return { hash: declared, declaration: { kind: 'unsigned' } };
    case STREAMING_SIGNED_PAYLOAD:
      return { hash: declared, declaration: { kind: 'streaming-signed', trailer: false } };
    case STREAMING_SIGNED_PAYLOAD_TRAILER:
      return { hash: declared, declaration: { kind: 'streaming-signed', trailer: true } };
    case STREAMING_UNSIGNED_PAYLOAD_TRAILER:
      return { hash: declared, declaration: { kind: 'streaming-unsigned-trailer' } };
  }
  if (!/^[0-9a-fA-F]{64}$/.test(declared)) {
    throw new SignatureDoesNotMatchError('x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.');
  }
  if (given !== undefined && given !== declared.toLowerCase()) {
    throw new SignatureDoesNotMatchError("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return { hash: declared, declaration: { kind: 'sha256', sha256: declared.toLowerCase() } };
}

const S3_CANONICAL: CanonicalOptions = Object.freeze({ normalizePath: false });
const OTHER_CANONICAL: CanonicalOptions = Object.freeze({ normalizePath: true });

/** How `service` canonicalizes a request's path: S3 signs it as sent, every other service normalized. */
export function canonicalOptionsFor(service: string): CanonicalOptions {
  return service === 's3' ? S3_CANONICAL : OTHER_CANONICAL;
}

/**
 * True when `sig` is the signature of the forwarded request with `payloadHash` under `signingKey`;
 * constant-time. Pass the key prepared ({@link HmacSha256Key}) when it signs many requests.
 */
export function forwardedSignatureMatches(req: SigV4Request, sig: ParsedSignature, payloadHash: string, signingKey: Uint8Array | HmacSha256Key, options: CanonicalOptions = {}): boolean {
  // S3 signs the object key encoded once: the wire path is that already, so it is decoded before
  // `canonicalUri` encodes it (`/a%20b` stays `/a%20b`, a literal `+` sent as `%2B` stays `%2B`).
  const view = options.normalizePath === false && req.path.includes('%') ? { ...req, path: uriDecode(req.path) } : req;
  const canonical = canonicalRequestWithPayloadHash(view, sig, payloadHash, options);
  const key = signingKey instanceof HmacSha256Key ? signingKey : new HmacSha256Key(signingKey);
  // The parsed signature is lower-cased; anything but the same 64 hex digits is unequal.
  return constantTimeEquals(sig.signature, key.hex(buildStringToSign(canonical, sig)));
}

/** `YYYYMMDD/region/service/aws4_request` of a signature. */
export function credentialScope(sig: ParsedSignature): string {
  return `${sig.scopeDate}/${sig.region}/${sig.service}/aws4_request`;
}
