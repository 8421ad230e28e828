import type { Principal } from '../context.js';
import type { InboundRequest } from './inbound-request.js';

/** How a caller proved who it is. */
export type AuthenticationMethod =
  /** SigV4 in the `Authorization` header. */
  | 'sigv4-header'
  /** SigV4 in the query string (a presigned URL). */
  | 'sigv4-presigned'
  /** A console session cookie with its CSRF header (`ConsoleSessionAuthenticator`). */
  | 'console-session'
  /** A workload's bootstrap secret, exchanged by `castellan agent` for its instance role (`WorkloadSecretAuthenticator`). */
  | 'metadata-token'
  /**
   * No proof at all (`UnsignedRequestAuthenticator`). The pipeline accepts it only for operations
   * whose input carries its own proof (`OperationSpec.tokenAuthentication`), and refuses it
   * (`MissingAuthenticationToken`) for every other.
   */
  | 'unsigned'
  /** An identity provider's token in the request (AssumeRoleWithWebIdentity, AssumeRoleWithSAML). */
  | 'identity-token';

/**
 * What authentication established besides the principal: the facts that global condition keys
 * (`aws:MultiFactorAuthPresent`, `aws:TokenIssueTime`, `aws:SourceIdentity`, …) and the audit trail
 * are built from. Facts that do not apply are absent.
 */
export interface AuthenticationFacts {
  method: AuthenticationMethod;
  /** The access key id that signed the request. */
  accessKeyId?: string;
  /** True for temporary credentials (a session token was presented and matched). */
  temporaryCredentials: boolean;
  /** When the caller authenticated with MFA; absent when it did not. */
  mfaAuthenticatedAt?: Date;
  /** When the temporary credentials were issued. */
  tokenIssuedAt?: Date;
  /** The source identity set when the session was created. */
  sourceIdentity?: string;
  /** Session tags (they become `aws:PrincipalTag/<key>` and override the principal's own tags). */
  sessionTags?: Readonly<Record<string, string>>;
  /** The region and service the credential scope names (SigV4). */
  scope?: { region: string; service: string };
}

/** A proven caller. */
export interface Authentication {
  principal: Principal;
  facts: AuthenticationFacts;
}

/**
 * What a request claims before anything is proven: the audit event of a failed authentication
 * records it (the claimed key, its account when known, the region and service it was signed for).
 */
export interface AuthenticationClaim {
  region?: string;
  service?: string;
  /** The access key id as the request spells it, even when the rest of the proof cannot be read. */
  accessKeyId?: string;
  /** True once the claimed key is found among the server's keys (the trail may then show it as is). */
  knownAccessKey?: boolean;
  accountId?: string;
}

/** One request to authenticate, with what the endpoint expects of it. */
export interface AuthenticationAttempt {
  request: InboundRequest;
  /** The request's single `now`. */
  now: Date;
  /** The services this endpoint answers; a proof scoped to another service is refused. */
  services: readonly string[];
  /** The endpoint's service as named in errors before the request names one. */
  defaultService: string;
  /** Headers the wire protocol requires the proof to cover, e.g. `X-Amz-Target` for AWS JSON. */
  requiredSignedHeaders: readonly string[];
  /** Receives what the request claims as soon as it is read (called again as more is learnt). */
  claim(claim: AuthenticationClaim): void;
  /** Whether the request came over TLS (directly, or through a trusted proxy that says so). */
  secureTransport: boolean;
}

/**
 * Turns a request into a principal and its facts, or throws the AWS error that refuses it
 * (`IncompleteSignature`, `InvalidClientTokenId`, `SignatureDoesNotMatch`, `ExpiredToken`…).
 * The pipeline asks, in order, the first authenticator that recognizes the request; new kinds of
 * proof (session cookies, metadata tokens) are new authenticators, not pipeline changes.
 */
export interface Authenticator {
  /**
   * Whether the request carries this authenticator's kind of proof. Cheap: no I/O, no throwing.
   * `secureTransport` as in {@link AuthenticationAttempt} (the console cookie's name depends on it).
   */
  recognizes(request: InboundRequest, secureTransport: boolean): boolean;
  authenticate(attempt: AuthenticationAttempt): Promise<Authentication>;
}
