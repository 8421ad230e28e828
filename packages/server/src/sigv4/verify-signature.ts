import { RequestExpiredError, SignatureDoesNotMatchError } from '../domain/errors.js';
import { buildCanonicalRequest, buildStringToSign, type CanonicalOptions } from './canonical-request.js';
import { formatAmzDate } from './parse-signature.js';
import { hmacHexEquals, type SigningKeyCache } from './signing-key-cache.js';
import type { ParsedSignature, SigV4Request } from './sigv4-request.js';

/**
 * How far a header-signed request's time may be from the server's clock. AWS's common-errors
 * reference for IAM and STS gives 15 minutes ("RequestExpired … more than 15 minutes after the date
 * stamp … or more than 15 minutes in the future").
 */
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * How long a presigned URL without `X-Amz-Expires` stays valid after its date: AWS's STS gives such
 * URLs 15 minutes. Its own constant, so an embedder widening the clock skew does not lengthen it.
 */
export const PRESIGN_DEFAULT_VALIDITY_MS = 15 * 60 * 1000;

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/**
 * Checks the request time against `now`: header-signed requests within `maxSkewMs` either way,
 * presigned URLs not before their date (minus skew) and not after date + X-Amz-Expires (or + 15
 * minutes, `PRESIGN_DEFAULT_VALIDITY_MS`, when the URL has no X-Amz-Expires, whatever the skew).
 *
 * A header-signed request outside the window answers `SignatureDoesNotMatch` (403) with "Signature
 * expired: … is now earlier than … (… - 15 min.)": that is what IAM and STS really return (the AWS
 * CLI and SDK issue trackers quote it verbatim), and the SDKs' clock-skew correction keys on it.
 * An expired presigned URL answers `RequestExpired` "Request has expired".
 */
export function checkRequestTime(sig: ParsedSignature, now: Date, maxSkewMs = DEFAULT_MAX_SKEW_MS): void {
  const t = sig.requestTime.getTime();
  const n = now.getTime();
  const minutes = Math.round(maxSkewMs / 60_000);
  if (t > n + maxSkewMs) {
    throw new SignatureDoesNotMatchError(
      `Signature not yet current: ${sig.amzDate} is still later than ${formatAmzDate(new Date(n + maxSkewMs))} (${formatAmzDate(now)} + ${minutes} min.)`,
    );
  }
  if (sig.kind === 'presigned') {
    const validMs = sig.expiresSeconds === undefined ? PRESIGN_DEFAULT_VALIDITY_MS : sig.expiresSeconds * 1000;
    if (n > t + validMs) throw new RequestExpiredError('Request has expired');
    return;
  }
  if (t < n - maxSkewMs) {
    throw new SignatureDoesNotMatchError(
      `Signature expired: ${sig.amzDate} is now earlier than ${formatAmzDate(new Date(n - maxSkewMs))} (${formatAmzDate(now)} - ${minutes} min.)`,
    );
  }
}

/** Recomputes the signature with `secret` and compares it in constant time; throws `SignatureDoesNotMatch`. */
export function verifySignature(req: SigV4Request, sig: ParsedSignature, secret: string, keys: SigningKeyCache, options: CanonicalOptions = {}): void {
  const canonical = buildCanonicalRequest(req, sig, options);
  if (canonical === undefined) {
    throw new SignatureDoesNotMatchError('The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const stringToSign = buildStringToSign(canonical, sig);
  const key = keys.signingKey(secret, sig.scopeDate, sig.region, sig.service);
  // The signature is lower-cased when parsed; the expected one is 64 hex digits, so anything else differs.
  if (!hmacHexEquals(key, stringToSign, sig.signature)) {
    throw new SignatureDoesNotMatchError(SIGNATURE_MISMATCH);
  }
}
