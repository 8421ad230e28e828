import type { AwsErrorCode } from '../domain/aws-error-code.js';
import type { RequestContext } from '../domain/context.js';
import type { Authentication } from '../domain/ports/authenticator.js';
import type { ConditionContext, DependentAuthorization, ResourcePolicy } from '../domain/ports/authorizer.js';
import type { PipelineService } from './pipeline-service.js';

/**
 * How a call that stands for another service's action is recorded: Castellan's
 * GetWorkloadCredentials is what CloudTrail shows as the `sts.amazonaws.com` `AssumeRole` that EC2
 * makes for an instance role, with that call's parameters and response.
 */
export interface AuditedAs<I, O, D> {
  service: PipelineService;
  eventName: string;
  /** The request parameters recorded instead of the wire input (AWS member names). */
  request?(input: I, ctx: RequestContext, deps: D): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The response elements recorded instead of the wire output. */
  response?(output: O): Record<string, unknown>;
  /**
   * The record's `resources`, as the recorded call's would list them (AssumeRole's role,
   * `AWS::IAM::Role`), when they are known only from the caller: instead of {@link OperationSpec.recordedResources}.
   */
  resources?(input: I, ctx: RequestContext, deps: D): Promise<Array<{ type: string; arn: string; accountId?: string }>>;
  /**
   * The error code the record carries, as CloudTrail records that service's errors, when it differs
   * from what the calling protocol records: STS, a Query service, records a modeled error by its
   * exception's name and `AccessDenied` where Castellan's JSON protocol records
   * `AccessDeniedException`. Default is the calling protocol's `recordedErrorCode`.
   */
  errorCode?(code: AwsErrorCode): string;
}

/**
 * How one AWS operation is authorized and executed. The protocol layer decodes and validates the
 * wire input before `resource`/`execute` see it, and serializes what `execute` returns.
 *
 * `D` is what the composition root passes to operations (the store, services…): for a mutating
 * operation it is the transaction-bound value from `TransactionRunner.run`. Operation files build
 * specs with the protocol's factories (`protocol/define-operation.ts`), which derive `action` and
 * `readOnly` from the operation's name.
 */
export interface OperationSpec<I = unknown, O = unknown, D = unknown> {
  /** The service's SigV4 signing name, as in the service table (`protocol/service-table.ts`). */
  service: string;
  /** AWS's operation name, e.g. `CreateUser`. */
  name: string;
  /** The IAM action authorized; default `<service>:<name>` (e.g. `iam:CreateUser`). */
  action?: string;
  /** True for reads (`Get*`, `List*`): no transaction, `readOnly` in the audit event. */
  readOnly: boolean;
  /** Only for calls AWS never denies (sts:GetCallerIdentity). */
  skipAuthorization?: boolean;
  /**
   * For a call that only tells callers about themselves what trying would (castellan:GetCallerPermissions):
   * allowed unless a Deny statement refuses it, so that a caller needs no grant to learn what it may do.
   * The record's `castellan:decision` then reads `allow` with `allowedBy: "default"`.
   */
  allowedUnlessDenied?: boolean;
  /** True when `execute` reads the request's global condition keys (`ctx.conditionKeys`). */
  readsConditionKeys?: boolean;
  /**
   * For operations whose input carries the caller's proof (AssumeRoleWithWebIdentity,
   * AssumeRoleWithSAML: AWS accepts them unsigned). The pipeline calls it after decoding, on
   * unsigned and signed requests alike, and the identity it answers is the caller that is
   * authorized and audited. Unsigned requests to any other operation are refused.
   */
  tokenAuthentication?: {
    /** The account the call is recorded in when the token cannot be verified (the role's). */
    accountId(input: I): string | undefined;
    /** Verifies the token; throws AWS's error (`InvalidIdentityToken`, `ExpiredTokenException`…). */
    authenticate(input: I, ctx: RequestContext, deps: D): Promise<Authentication>;
  };
  /**
   * The resource ARN the action is authorized on (from the Service Authorization Reference); `*`
   * when none. `deps` is the non-transactional value, so the target's real path can be looked up.
   */
  resource(input: I, ctx: RequestContext, deps: D): string | Promise<string>;
  /** The account owning the resource when it is not the caller's (cross-account ARNs). */
  resourceAccount?(input: I, ctx: RequestContext, deps: D): string | undefined | Promise<string | undefined>;
  /**
   * Further resources the same action must be allowed on. AWS: "to change a user name, the
   * requester must have appropriate permissions on both the source object and the target object".
   */
  alsoAuthorizedOn?(input: I, ctx: RequestContext, deps: D): string[] | Promise<string[]>;
  /**
   * The resource's own policy, evaluated together with the caller's (a role's trust policy for
   * sts:AssumeRole): undefined when the resource has none or does not exist.
   */
  resourcePolicy?(input: I, ctx: RequestContext, deps: D): ResourcePolicy | undefined | Promise<ResourcePolicy | undefined>;
  /**
   * Further actions the request needs on the same resource, with the same policies and context
   * (sts:AssumeRole with session tags also needs sts:TagSession).
   */
  alsoAuthorizedActions?(input: I, ctx: RequestContext, deps: D): string[];
  /**
   * AWS's dependent actions on another resource, each decided after the operation's own action:
   * putting a role in an instance profile, or handing a profile to a workload, passes the role
   * (`iam:PassRole` on it, `iam:PassedToService` `ec2.amazonaws.com`). Each is decided with the
   * request's global keys plus its own (its resource's tags among them), never the operation's
   * resource keys.
   */
  dependentAuthorizations?(input: I, ctx: RequestContext, deps: D): DependentAuthorization[] | Promise<DependentAuthorization[]>;
  /** Request-specific condition keys (`iam:PermissionsBoundary`, `aws:RequestTag/…`, `aws:TagKeys`, `aws:ResourceTag/…`). */
  conditionKeys?(input: I, ctx: RequestContext, deps: D): ConditionContext | Promise<ConditionContext>;
  /**
   * CloudTrail's `resources` member of the call's record, from its validated input: STS's role
   * session calls name the role (`AWS::IAM::Role`, with its account), as AWS's records do. The
   * LookupEvents index still finds the call by every resource its parameters and answer name.
   */
  recordedResources?(input: I): Array<{ type: string; arn: string; accountId?: string }>;
  /**
   * Request parameters the call's record carries besides its input (AWS member names), known only
   * from the caller: a chained AssumeRole's record shows the transitive tags it inherits
   * (`IncomingTransitiveTags`), as AWS's do. Undefined adds none.
   */
  recordedRequestExtras?(input: I, ctx: RequestContext): Record<string, unknown> | undefined;
  /** Records the call as another service's event (see {@link AuditedAs}); default is the call itself. */
  auditedAs?: AuditedAs<I, O, D>;
  /**
   * True when a successful read's `execute` itself recorded the event that stands for the call, so
   * the pipeline records none: castellan:AuthorizeRequest's data event (the client's request, naming
   * the asking service), as CloudTrail records S3's data event and no internal authorization call.
   * A refused call always gets the pipeline's event.
   */
  recordedByExecute?(input: I, output: O): boolean;
  /** Does the work and returns the wire output (PascalCase members, as in `<service>-types.ts`). */
  execute(input: I, ctx: RequestContext, deps: D): Promise<O> | O;
}
