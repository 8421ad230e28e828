/**
 * The types of Castellan's authorization API for other services: what a service sends about a
 * request it received, and what Castellan answers. camelCase here; the `castellan` service's
 * `AuthorizeRequest` operation maps them to its wire shapes.
 *
 * @module
 */
import type { Principal } from '../../domain/context.js';
import type { ConditionContext } from '../../domain/ports/authorizer.js';
import type { AuthenticationFacts } from '../../domain/ports/authenticator.js';
import type { ForwardedRequest, PayloadDeclaration } from '../../sigv4/forwarded-request.js';
import type { ParsedSignature } from '../../sigv4/sigv4-request.js';

/** One action the service maps the request to, and the resource it acts on. */
export interface RequestedAuthorization {
  /** `s3:GetObject`. */
  action: string;
  /** `arn:aws:s3:::bucket/key`, or `*`. */
  resource: string;
  /** The account owning the resource when its ARN does not say (S3 buckets): decides cross-account evaluation. */
  resourceAccount?: string;
}

/** The CloudTrail data event the service wants recorded for the request. */
export interface DataEventSpec {
  /** Always `<signing service>.amazonaws.com` (the default): another is refused. */
  eventSource?: string;
  /** The service's operation, e.g. `GetObject`. */
  eventName: string;
  /** `Data` (the default) or `Management` (S3's bucket calls are management events in CloudTrail). */
  category?: 'Data' | 'Management';
  readOnly: boolean;
  /** The request's parameters as CloudTrail shows them (`{ bucketName, key }`). */
  requestParameters?: Record<string, unknown>;
  /**
   * The resources, as CloudTrail's `resources` member lists them. An `accountId` other than the
   * client's sends a copy of the event to that account only when it is the asking service's own.
   */
  resources?: Array<{ type: string; arn: string; accountId?: string }>;
}

/** Everything a service sends about one request it received. */
export interface ServiceRequestInput {
  request: ForwardedRequest;
  /** The body's SHA-256 (hex), when the service computed it; otherwise it checks the answer's `payload`. */
  bodySha256?: string;
  /** The client's address as the service saw it (`aws:SourceIp`). */
  sourceIp: string;
  /** Whether the client connected over TLS (`aws:SecureTransport`). Default is `false`. */
  secureTransport?: boolean;
  authorizations: RequestedAuthorization[];
  /** The resource's own policy (a bucket policy), evaluated with the caller's. */
  resourcePolicy?: { policyId?: string; document: string };
  /**
   * Service-specific condition keys (`s3:prefix`, `s3:x-amz-acl`…), request and resource tags: no
   * other global key (`catalog/service-condition-keys.ts`).
   */
  conditionKeys?: ConditionContext;
  /** The data event to record; none is recorded without it. */
  event?: DataEventSpec;
  /** Ask for what verifying the request in process needs (see {@link PrincipalSnapshot}); given only to a service of the principal's account. */
  includePrincipalSnapshot?: boolean;
}

/** A statement that decided, without the policy text. */
export interface DecidingStatementView {
  policyId: string;
  policyName?: string;
  policyKind: string;
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
}

/** The decision for one requested authorization. */
export interface ActionDecisionView {
  action: string;
  resource: string;
  effect: 'allow' | 'explicitDeny' | 'implicitDeny';
  decidedBy: DecidingStatementView[];
  /** For a denial, the policy layer that denied (`identity`, `resource`, `boundary`, `session`). */
  deniedBy?: string;
  missingContextKeys?: string[];
  /** AWS's AccessDenied text for a denial ("User: … is not authorized to perform: …"). */
  message?: string;
}

/** How the caller authenticated. */
export interface AuthenticationView {
  method: 'sigv4-header' | 'sigv4-presigned';
  accessKeyId: string;
  temporaryCredentials: boolean;
  mfaAuthenticated: boolean;
  region: string;
  service: string;
  /** The request's signing time. */
  signedAt: Date;
  /** Presigned URLs: when the URL stops working. */
  expiresAt?: Date;
}

/** How a request signed with `sig` authenticated, as the API and the in-process check both answer it. */
export function authenticationView(sig: ParsedSignature, facts: Pick<AuthenticationFacts, 'temporaryCredentials' | 'mfaAuthenticatedAt'>): AuthenticationView {
  const view: AuthenticationView = {
    method: sig.kind === 'header' ? 'sigv4-header' : 'sigv4-presigned',
    accessKeyId: sig.accessKeyId,
    temporaryCredentials: facts.temporaryCredentials,
    mfaAuthenticated: facts.mfaAuthenticatedAt !== undefined,
    region: sig.region,
    service: sig.service,
    signedAt: sig.requestTime,
  };
  if (sig.kind === 'presigned') view.expiresAt = new Date(sig.requestTime.getTime() + (sig.expiresSeconds ?? 0) * 1000);
  return view;
}

/** What a streaming (`aws-chunked`) body's chunk signatures are verified with. */
export interface StreamingMaterial {
  /**
   * `kSigning` of the request's scope, hex: it signs only for this date, region and service. Absent
   * for a service of another account than the client's that is not a listed platform principal: it
   * cannot verify the chunks, and must refuse the upload.
   */
  signingKey?: string;
  seedSignature: string;
  amzDate: string;
  scope: string;
}

/** What an in-process check of later requests by the same credentials needs. */
export interface PrincipalSnapshot {
  accessKeyId: string;
  principal: Principal;
  /** `kSigning` of the scope, hex: verifies (and could only sign) requests for this date, region and service. */
  signingKey: string;
  scope: { date: string; region: string; service: string };
  /** The caller's policies by layer, as JSON texts with the ids decisions name them by. */
  policies: { identity: SnapshotPolicy[]; boundary?: SnapshotPolicy[]; session?: SnapshotPolicy[] };
  /** Principal tags (`aws:PrincipalTag/…`). */
  tags: Record<string, string>;
  /** After this the snapshot must not be used: fetch it again. */
  validUntil: Date;
  /**
   * For a federated user session of an IAM user, that user's current ARN (the session's
   * `issuerArn` is its ARN at issue time): resource-based policies naming it apply to the session.
   */
  federatingUserArn?: string;
}

/** One policy of a {@link PrincipalSnapshot}. */
export interface SnapshotPolicy {
  policyId: string;
  name: string;
  document: string;
}

/** Castellan's answer. An unauthenticated request is a value, not a failure of the call. */
export type ServiceRequestAnswer =
  | { authenticated: false; error: { code: string; message: string } }
  | {
      authenticated: true;
      principal: Principal;
      authentication: AuthenticationView;
      decisions: ActionDecisionView[];
      /** True when every requested authorization is allowed. */
      allowed: boolean;
      payload: PayloadDeclaration;
      streaming?: StreamingMaterial;
      snapshot?: PrincipalSnapshot;
    };
