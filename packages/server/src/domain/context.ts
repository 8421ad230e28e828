/**
 * What every service call receives besides its input: who is calling, when, from where.
 * Services never read the clock or generate randomness themselves; they use `clock` and `ids`.
 */

/** The source of time. Tests pass a fixed or stepping clock. */
export interface Clock {
  now(): Date;
}

/** The source of identifiers and secrets. Tests may pass a deterministic one. */
export interface Ids {
  /** A unique id with AWS's prefix and 17 more characters of [A-Z2-7], e.g. `AIDA…` for users. */
  uniqueId(prefix: UniqueIdPrefix): string;
  /** `AKIA…` (long-term) or `ASIA…` (temporary): 20 characters. */
  accessKeyId(prefix: 'AKIA' | 'ASIA'): string;
  /** A 40-character secret access key. */
  secretAccessKey(): string;
  /** A request id in AWS's form (a UUID). */
  requestId(): string;
  /** Random bytes, for tokens, seeds and keys. */
  randomBytes(n: number): Uint8Array;
}

/** AWS's unique id prefixes (IAM identifiers reference). */
export type UniqueIdPrefix =
  | 'AIDA' // user
  | 'AGPA' // group
  | 'AROA' // role
  | 'ANPA' // managed policy
  | 'ANVA' // policy version (not exposed by AWS, kept for symmetry)
  | 'AIPA' // instance profile
  | 'ASCA' // certificate
  | 'APKA'; // public key

/** The kind of identity behind a request, in CloudTrail's `userIdentity.type` words. */
export type PrincipalType = 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'WebIdentityUser' | 'SAMLUser' | 'AWSService' | 'Unknown';

/** The authenticated caller. */
export interface Principal {
  type: PrincipalType;
  accountId: string;
  /** `arn:aws:iam::123456789012:root`, `…:user/path/name`, `arn:aws:sts::…:assumed-role/name/session`. */
  arn: string;
  /** AWS's principalId: the user id, `ROLEID:session`, or the account id for root. */
  principalId: string;
  /** The IAM user name, for users (and `root`-less for root). */
  userName?: string;
  /**
   * Root only: the account's alias when it has one, which CloudTrail writes as root's `userName`.
   * Read with the principal (cached with it, and forgotten when the alias changes), not per call.
   */
  accountAlias?: string;
  /** The access key that signed the request. */
  accessKeyId?: string;
  /** Present for temporary credentials. */
  session?: {
    issuerArn: string;
    issuerType: 'Role' | 'IAMUser' | 'Root';
    issuerName: string;
    issuerPrincipalId: string;
    sessionName?: string;
    createdAt: Date;
    expiresAt: Date;
    mfaAuthenticated: boolean;
    /** When MFA was proven for the session (or the session it was chained from): `aws:MultiFactorAuthAge` counts from it. */
    mfaAuthenticatedAt?: Date;
    /** Session policy documents passed to AssumeRole/GetFederationToken, as JSON text. */
    policies?: string[];
    /** Session tags. */
    tags?: Record<string, string>;
    /** The STS call that issued the session. */
    issuedBy?: SessionIssuingCall;
    /** Managed session policies (`PolicyArns`), loaded at each authorization. */
    policyArns?: string[];
    /** Keys of session tags that pass to sessions this one assumes (role chaining). */
    transitiveTagKeys?: string[];
    /** `SourceIdentity`, set once and kept along role chains. */
    sourceIdentity?: string;
    /** The identity provider of a session from AssumeRoleWithWebIdentity/SAML (CloudTrail's `webIdFederationData.federatedProvider`). */
    federatedProvider?: string;
  };
  /** True when the credentials were obtained with MFA. */
  mfaAuthenticated: boolean;
  /**
   * Present when the caller is a user or root signed in to the console: temporary credentials
   * without an STS session, which AWS treats as session credentials (no GetSessionToken or
   * GetFederationToken; a role assumed from them is a chained one).
   */
  consoleSession?: { issuedAt: Date; mfaAuthenticatedAt?: Date };
  /**
   * For a caller proven by an identity provider's token rather than by AWS credentials
   * (AssumeRoleWithWebIdentity, AssumeRoleWithSAML): what the token proved.
   */
  federation?: FederatedIdentity;
}

/**
 * What a verified web identity token or SAML assertion proves. The caller is then the provider's
 * user (`type` `WebIdentityUser` or `SAMLUser`), and the role's trust policy decides with
 * `Principal: { Federated: providerArn }` and the token's claims as condition keys.
 */
export interface FederatedIdentity {
  kind: 'WebIdentity' | 'SAML';
  /** `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH` or `arn:aws:iam::ACCOUNT:saml-provider/NAME`. */
  providerArn: string;
  /** CloudTrail's `userIdentity.identityProvider`: the issuer without its scheme (OIDC), the provider's NameQualifier-like id (SAML). */
  identityProvider: string;
  /** The token's subject (`sub`; the SAML NameID). */
  subject: string;
  /** The audience the token was accepted for (the client id; the SAML recipient). */
  audience: string;
  /** The issuer as the token names it. */
  issuer: string;
  /** Condition keys proven by the token (`HOST/PATH:sub`, `saml:aud`…), as the trust policy sees them. */
  conditionKeys: Record<string, string | string[]>;
  /** SAML: the NameID's format in AWS's words (`persistent`, `transient` or the full URN). */
  subjectType?: string;
  /** SAML: AWS's hash of the issuer, the account and the provider's name. */
  nameQualifier?: string;
  /** SAML: the assertion's `ID`, which CloudTrail records as `sAMLAssertionID`. */
  assertionId?: string;
  /** What the token asks of the session (SAML attributes, the web identity token's AWS claims). */
  session?: {
    roleSessionName?: string;
    /** SAML: the IdP's `SessionNotOnOrAfter`, which ends the session earlier than its duration would. */
    notAfter?: Date;
    tags?: Record<string, string>;
    transitiveTagKeys?: string[];
    sourceIdentity?: string;
  };
}

/** The STS operations that issue temporary credentials. */
export type SessionIssuingCall = 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'AssumeRoleWithSAML' | 'GetSessionToken' | 'GetFederationToken';

/** Everything a service call gets besides its input. */
export interface RequestContext {
  requestId: string;
  /** One `now` for the whole request. */
  now: Date;
  caller: Principal;
  sourceIp: string;
  userAgent: string;
  region: string;
  /**
   * Store reads this request already made, by key (`services/request-reads.ts`): a read-only
   * operation reuses what its authorization read, so one call sees one state and pays one read.
   */
  reads?: Map<string, unknown>;
  /**
   * The request's global condition keys (`aws:SourceIp`, `aws:MultiFactorAuthAge`…), given only to
   * operations that decide further actions as of this request (`OperationSpec.readsConditionKeys`).
   */
  conditionKeys?: Readonly<Record<string, string | string[]>>;
}
