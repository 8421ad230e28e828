/**
 * @castellan/authorizer-client: Castellan in front of your service. Verify SigV4 requests and
 * decide them with IAM policies by a round trip to Castellan's `AuthorizeRequest`
 * ({@link CastellanAuthorizer}) or in process ({@link InProcessAuthorizer}); middleware for Hono,
 * Express and Fastify under `./hono`, `./express`, `./fastify`.
 *
 * @module
 */
export { CastellanAuthorizer, CastellanCallError, CASTELLAN_TARGET_PREFIX, type CastellanAuthorizerOptions, type CredentialsSource, type ServiceCredentials } from './castellan-authorizer.js';
export { InProcessAuthorizer, type InProcessAuthorizerOptions } from './in-process-authorizer.js';
export { forwardedFromNode, forwardedFromFetch, refusalOf, unverifiableBody, type NodeRequestLike, type RequestDescription } from './forwarded.js';
export { AwsChunkedDecoder, ChunkedBodyError, type StreamingSigningContext } from '@castellan/server/service-kit';
export type {
  ActionDecision,
  AuthenticationInfo,
  AuthorizationAnswer,
  AuthorizationQuestion,
  DataEvent,
  DecidingStatement,
  ForwardedRequest,
  PayloadDeclaration,
  Principal,
  PrincipalSnapshot,
  RequestAuthorizer,
  RequestedAuthorization,
  SnapshotPolicy,
  StreamingMaterial,
} from './types.js';
