/**
 * What a service asks Castellan about a request it received, and what it gets back: the
 * client-side mirror of `AuthorizeRequest` (camelCase; `wire.ts` maps it to the JSON wire shapes).
 *
 * @module
 */
import type { ForwardedRequest, PayloadDeclaration, Principal } from '@castellan/server/service-kit';

export type { ForwardedRequest, PayloadDeclaration, Principal };

/** One action the request maps to and the resource it acts on. */
export interface RequestedAuthorization {
  /** `s3:GetObject`. */
  action: string;
  /** `arn:aws:s3:::bucket/key`, or `*`. */
  resource: string;
  /** The account owning the resource when its ARN does not say (S3 buckets). */
  resourceAccount?: string;
}

/** The CloudTrail data event to record for the request. */
export interface DataEvent {
  /** Default: `<service>.amazonaws.com`. */
  eventSource?: string;
  /** The operation, `GetObject`. */
  eventName: string;
  /** Default is `Data`; bucket configuration calls are `Management` events on AWS. */
  category?: 'Data' | 'Management';
  readOnly: boolean;
  /** As CloudTrail shows them (`{ bucketName, key }`): strings only. */
  requestParameters?: Record<string, string>;
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
  authorizations: RequestedAuthorization[];
  /** The resource's policy (a bucket policy). */
  resourcePolicy?: { policyId?: string; document: string };
  /** Service-specific condition keys (`s3:prefix`). */
  conditionKeys?: Record<string, string | string[]>;
  event?: DataEvent;
}

/** A statement that decided. */
export interface DecidingStatement {
  policyId: string;
  policyName?: string;
  policyKind: string;
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
}

/** The decision for one requested authorization. */
export interface ActionDecision {
  action: string;
  resource: string;
  effect: 'allow' | 'explicitDeny' | 'implicitDeny';
  decidedBy: DecidingStatement[];
  deniedBy?: string;
  missingContextKeys?: string[];
  /** AWS's AccessDenied text for a denial. */
  message?: string;
}

/** How the client authenticated. */
export interface AuthenticationInfo {
  method: 'sigv4-header' | 'sigv4-presigned';
  accessKeyId: string;
  temporaryCredentials: boolean;
  mfaAuthenticated: boolean;
  region: string;
  service: string;
  signedAt: Date;
  expiresAt?: Date;
}

/** What verifying a signed `aws-chunked` body needs. */
export interface StreamingMaterial {
  signingKey: string;
  seedSignature: string;
  amzDate: string;
  scope: string;
}

/** One policy of a snapshot. */
export interface SnapshotPolicy {
  policyId: string;
  name: string;
  document: string;
}

/** What checking later requests of the same credentials in process needs. */
export interface PrincipalSnapshot {
  accessKeyId: string;
  principal: Principal;
  signingKey: string;
  scope: { date: string; region: string; service: string };
  policies: { identity: SnapshotPolicy[]; boundary?: SnapshotPolicy[]; session?: SnapshotPolicy[] };
  tags: Record<string, string>;
  validUntil: Date;
}

/** Castellan's answer: refused authentication (with AWS's error code) or the decisions. */
export type AuthorizationAnswer =
  | { authenticated: false; error: { code: string; message: string } }
  | {
      authenticated: true;
      principal: Principal;
      authentication: AuthenticationInfo;
      decisions: ActionDecision[];
      /** Every requested authorization is allowed. */
      allowed: boolean;
      /** What the service must check of the body as it reads it. */
      payload: PayloadDeclaration;
      streaming?: StreamingMaterial;
      snapshot?: PrincipalSnapshot;
    };

/** Anything that answers questions: the round trip ({@link CastellanAuthorizer}) or the in-process check. */
export interface RequestAuthorizer {
  authorize(question: AuthorizationQuestion): Promise<AuthorizationAnswer>;
}
