/**
 * What a service needs to check requests in process the way Castellan does
 * (`@castellan/authorizer-client`): the SigV4 verifier (pure and synchronous: parsing, canonical
 * requests, signing keys, forwarded requests, `aws-chunked` bodies), the builder of the global
 * `aws:*` condition keys and the rule on which of them a service may supply. Errors thrown are the server's `AwsError`s, whose `code` is AWS's.
 *
 * @module
 */
export { parseSignature, parseAmzDate, formatAmzDate, MAX_PRESIGN_EXPIRES_SECONDS } from './sigv4/parse-signature.js';
export { checkRequestTime, DEFAULT_MAX_SKEW_MS } from './sigv4/verify-signature.js';
export { deriveSigningKey } from './sigv4/signing-key-cache.js';
export { EMPTY_SHA256, sha256Hex, buildStringToSign, canonicalRequestWithPayloadHash } from './sigv4/canonical-request.js';
export { uriEncode } from './sigv4/uri-encode.js';
export { HmacSha256Key } from './sigv4/hmac-sha256.js';
export { constantTimeEquals, optionalConstantTimeEquals } from './sigv4/constant-time-equals.js';
export type { ParsedSignature, SigV4Request } from './sigv4/sigv4-request.js';
export {
  forwardedSigV4Request,
  declaredPayload,
  canonicalOptionsFor,
  forwardedSignatureMatches,
  credentialScope,
  UNSIGNED_PAYLOAD,
  STREAMING_SIGNED_PAYLOAD,
  STREAMING_SIGNED_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  type ForwardedRequest,
  type PayloadDeclaration,
  type PayloadOptions,
} from './sigv4/forwarded-request.js';
export { AwsChunkedDecoder, ChunkedBodyError, chunkSignature, trailerSignature, type StreamingSigningContext } from './sigv4/chunk-signature.js';
export { buildConditionContext } from './pipeline/condition-context.js';
export { credentialFacts } from './domain/credential-facts.js';
export { authenticationView } from './services/authorizer/service-request.js';
export { refusedServiceConditionKey } from './catalog/service-condition-keys.js';
export { refusedServiceAction, refusedServiceEvent } from './services/authorizer/service-question.js';
export { AwsError } from './domain/errors.js';
export type { Principal, RequestContext } from './domain/context.js';
export type { AuthenticationFacts } from './domain/ports/authenticator.js';
export type {
  RequestedAuthorization,
  DecidingStatementView,
  ActionDecisionView,
  AuthenticationView,
  StreamingMaterial,
  SnapshotPolicy,
  PrincipalSnapshot,
  ServiceRequestAnswer,
} from './services/authorizer/service-request.js';
