/**
 * Castellan's SigV4 verifier, pure and synchronous, for services that check requests in process
 * (`@castellan/authorizer-client`): parsing, canonical requests, signing keys, forwarded requests
 * and `aws-chunked` bodies. Errors are the `AwsError`s of the server (their `code` is AWS's).
 *
 * @module
 */
export { parseSignature, parseAmzDate, formatAmzDate, MAX_PRESIGN_EXPIRES_SECONDS } from './parse-signature.js';
export { checkRequestTime, DEFAULT_MAX_SKEW_MS } from './verify-signature.js';
export { deriveSigningKey } from './signing-key-cache.js';
export { EMPTY_SHA256, sha256Hex } from './canonical-request.js';
export type { ParsedSignature, SigV4Request } from './sigv4-request.js';
export {
  forwardedSigV4Request,
  declaredPayload,
  forwardedSignatureMatches,
  credentialScope,
  UNSIGNED_PAYLOAD,
  STREAMING_SIGNED_PAYLOAD,
  STREAMING_SIGNED_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  type ForwardedRequest,
  type PayloadDeclaration,
  type PayloadOptions,
} from './forwarded-request.js';
export { AwsChunkedDecoder, ChunkedBodyError, chunkSignature, trailerSignature, type StreamingSigningContext } from './chunk-signature.js';
export { AwsError } from '../domain/errors.js';
