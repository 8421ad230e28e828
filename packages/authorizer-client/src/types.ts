/**
 * What a service asks Castellan about a request it received, and what it gets back: the
 * client-side mirror of `AuthorizeRequest` (camelCase; `wire.ts` maps it to the JSON wire shapes).
 *
 * @module
 */
import type {
  ActionDecisionView,
  AuthenticationView,
  DecidingStatementView,
  ForwardedRequest,
  PayloadDeclaration,
  Principal,
  PrincipalSnapshot,
  RequestedAuthorization,
  ServiceRequestAnswer,
  SnapshotPolicy,
  StreamingMaterial,
} from '@castellan/server/service-kit';

// The answer's shapes are the server's own: one definition of the AuthorizeRequest contract.
export type { ForwardedRequest, PayloadDeclaration, Principal, PrincipalSnapshot, RequestedAuthorization, SnapshotPolicy, StreamingMaterial };
/** A statement that decided. */
export type DecidingStatement = DecidingStatementView;
/** The decision for one requested authorization. */
export type ActionDecision = ActionDecisionView;
/** How the client authenticated. */
export type AuthenticationInfo = AuthenticationView;
/** Castellan's answer: refused authentication (with AWS's error code) or the decisions. */
export type AuthorizationAnswer = ServiceRequestAnswer;

/** The CloudTrail data event to record for the request. */
export interface DataEvent {
  /** Always `<service>.amazonaws.com` (the default): Castellan refuses another. */
  eventSource?: string;
  /** The operation, `GetObject`. */
  eventName: string;
  /** Default is `Data`; bucket configuration calls are `Management` events on AWS. */
  category?: 'Data' | 'Management';
  readOnly: boolean;
  /** As CloudTrail shows them (`{ bucketName, key }`): strings only. */
  requestParameters?: Record<string, string>;
  /** An `accountId` other than the client's gets a copy of the event only when it is the service's own account. */
  resources?: Array<{ type: string; arn: string; accountId?: string }>;
}

/** Everything the service says about one request. */
export interface AuthorizationQuestion {
  request: ForwardedRequest;
  /** The client's address (`aws:SourceIp`). */
  sourceIp: string;
  /** `aws:SecureTransport`. Default is `false`. */
  secureTransport?: boolean;
  /** The body's SHA-256 (hex) when the service already has it. */
  bodySha256?: string;
  /** Actions of the service's own signing service only (`s3:` for `s3`); another is refused (`ValidationException`). */
  authorizations: RequestedAuthorization[];
  /** The resource's policy (a bucket policy). */
  resourcePolicy?: { policyId?: string; document: string };
  /** Service-specific condition keys (`s3:prefix`), request and resource tags; another global key is refused (`CastellanCallError` `ValidationException`). */
  conditionKeys?: Record<string, string | string[]>;
  event?: DataEvent;
}

/** Anything that answers questions: the round trip ({@link CastellanAuthorizer}) or the in-process check. */
export interface RequestAuthorizer {
  authorize(question: AuthorizationQuestion): Promise<AuthorizationAnswer>;
}
