/**
 * The request that {@link evaluate} decides, and the policies it is decided against.
 */
import type { ContextValue } from '../conditions/context-value.js';
import type { CompiledPolicy } from '../compile/compile-policy.js';

/** The kind of caller, in CloudTrail's `userIdentity.type` words. */
export type RequestPrincipalType = 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'WebIdentityUser' | 'AWSService';

/** Who is asking. */
export interface RequestPrincipal {
  /** `arn:aws:iam::123456789012:user/alice`, `arn:aws:sts::123456789012:assumed-role/r/s`, a service name for services. */
  arn: string;
  accountId: string;
  type?: RequestPrincipalType;
  /** AWS's unique id (`AIDA…`, `AROA…:session`): `aws:userid`. */
  id?: string;
  /** The IAM user name (users only): `aws:username`. */
  userName?: string;
  /** Principal tags: `aws:PrincipalTag/<key>` (tag keys match case-insensitively). */
  tags?: Record<string, string>;
  /**
   * For an assumed-role session, the role's ARN (`arn:aws:iam::123456789012:role/r`): resource
   * policies that name the role apply to its sessions, and `aws:PrincipalArn` is the role ARN.
   */
  roleArn?: string;
  /**
   * For a federated user session (GetFederationToken) of an IAM user, that user's ARN: a
   * resource-based policy naming the user applies to the session, limited as one naming the role
   * of an assumed-role session is (boundary, session policies). `aws:PrincipalArn` stays `arn`.
   */
  federatingUserArn?: string;
  /** The identity provider (`Federated` principal) for SAML/web-identity callers of STS. */
  provider?: string;
  /** The canonical user id, for `CanonicalUser` principals. */
  canonicalUserId?: string;
}

/** One authorization question. */
export interface AuthzRequest {
  principal: RequestPrincipal;
  /** `iam:CreateUser` (matched case-insensitively). */
  action: string;
  /** The resource ARN, or `*` for actions without a resource. */
  resource: string;
  /** The account owning the resource when its ARN does not say (S3 buckets). */
  resourceAccount?: string;
  /**
   * True when `resource` stands for resources not named yet (`arn:aws:iam::…:user/*`, the user a
   * form will create). An Allow statement counts when its Resource may match one of them (its
   * service, account and resource type agree), a Deny only when it matches every one (`Resource:
   * "*"`, `arn:aws:iam::ACCOUNT:user/*`). So a denial holds for every such resource; an allow is
   * an upper bound, not the decision for some name: it says that a name may be allowed, not that
   * one is (an Allow of `user/dev-*` and a Deny of `user/dev-*` give allow here, as the two are not
   * compared with each other, and a pattern the Allow may match is not proven to).
   */
  resourceNotNamed?: boolean;
  /** Condition keys (case-insensitive names) and their values. */
  context: Record<string, ContextValue>;
  /** `aws:CurrentTime` and `aws:EpochTime` come from here unless the context gives them. */
  now: Date;
}

/** The policies that apply to a request, by layer. Compile them once and reuse them. */
export interface PolicySet {
  /** The principal's own policies: inline, attached, and through its groups. */
  identity: readonly CompiledPolicy[];
  /** The resource's policy (a bucket policy, a role trust policy for sts:AssumeRole…). */
  resource?: readonly CompiledPolicy[];
  /** The permissions boundary. When present (non-empty), one of them must allow. */
  boundary?: readonly CompiledPolicy[];
  /** Session policies of a temporary session. When present (non-empty), one of them must allow. */
  session?: readonly CompiledPolicy[];
  /**
   * Organization guardrails (SCP-like). When present (non-empty), one of them must allow.
   * Castellan has one level of guardrails, where AWS requires an allow at every OU level.
   */
  scp?: readonly CompiledPolicy[];
}

/** The layers of a {@link PolicySet}. */
export type PolicyLayer = 'scp' | 'resource' | 'identity' | 'boundary' | 'session';
