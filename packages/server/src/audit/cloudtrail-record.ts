/**
 * Builds CloudTrail records (the `Records[]` entries of a CloudTrail log file) from what the
 * pipeline knows about a request. Pure: the event id and time come in with the input.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import type { Principal } from '../domain/context.js';
import type { AuditEventInput } from './audit-event.js';
import { camelMemberName, formatElementDate, formatEventTime, VERBATIM_KEY_MEMBERS } from './cloudtrail-style.js';
import { HIDDEN, isSecretMember, redactResponseElements, scrubSecretValues } from './redact.js';

/** The record version written. 1.09 is the version current AWS records carry for IAM and STS. */
export const EVENT_VERSION = '1.09';

/** CloudTrail's `userIdentity` element. */
export interface CloudTrailUserIdentity {
  type: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  /** For `AWSService`: the service that made the call (its principal id). */
  invokedBy?: string;
  /** For `WebIdentityUser` and `SAMLUser`: the identity provider that vouched for the caller. */
  identityProvider?: string;
  sessionContext?: {
    sessionIssuer: { type?: string; principalId?: string; arn?: string; accountId?: string; userName?: string };
    webIdFederationData?: Record<string, unknown>;
    attributes: { creationDate: string; mfaAuthenticated: 'true' | 'false' };
    sourceIdentity?: string;
  };
}

/** One CloudTrail record, with members in the order AWS writes them (an optional one that does not apply is undefined). */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: CloudTrailUserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn';
  resources?: Array<{ accountId?: string; type: string; ARN: string }>;
  managementEvent: boolean;
  recipientAccountId: string;
  /** Present when one call was delivered to two accounts' trails: the same in both records. */
  sharedEventID?: string;
  eventCategory: 'Management' | 'Data';
  tlsDetails?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
  /** `"true"` for a call made with a console session; absent otherwise (AWS never writes `"false"`). */
  sessionCredentialFromConsole?: 'true';
}

/** The region AWS records global services' events in. */
const GLOBAL_EVENT_REGION = 'us-east-1';

/**
 * Operations whose response AWS records although they change nothing: the credentials they
 * issue identify the sessions that follow (secrets are removed by `redact.ts`).
 */
const RESPONSE_RECORDED_WHEN_READ_ONLY = new Set([
  'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'AssumeRoot', 'GetSessionToken', 'GetFederationToken', 'ConsoleLogin',
]);

/**
 * Builds the CloudTrail record of one request, secrets removed.
 *
 * @example
 * ```ts
 * const record = buildCloudTrailRecord({ eventId, requestId, eventTime: ctx.now, service: 'iam',
 *   eventSource: 'iam.amazonaws.com', global: true, eventName: 'CreateUser', region: ctx.region, sourceIp: ctx.sourceIp, userAgent: ctx.userAgent,
 *   caller: ctx.caller, accountId: ctx.caller.accountId, request: { UserName: 'bob' },
 *   response: { User: user }, readOnly: false });
 * const recordJson = JSON.stringify(record);
 * ```
 */
export function buildCloudTrailRecord(input: AuditEventInput): CloudTrailRecord {
  const failed = input.error !== undefined;
  // A failed console sign-in is recorded as AWS does: `ConsoleLogin: Failure` kept, an errorMessage, no errorCode.
  const signIn = input.eventType === 'AwsConsoleSignIn';
  const recordResponse = (!failed || signIn) && input.response !== undefined && (!input.readOnly || RESPONSE_RECORDED_WHEN_READ_ONLY.has(input.eventName));
  // One literal with every member, those that do not apply undefined (`JSON.stringify` leaves them
  // out, so the text is that of a record without them): every record has one shape, where spreading
  // the optional members in gave a failed call's record its own, built through V8's slow paths.
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: input.caller ? (isOtherAccountsCopy(input) ? otherAccountIdentity(input.caller) : callerIdentity(input.caller, input.consoleSession)) : unauthenticatedIdentity(input),
    eventTime: formatEventTime(input.eventTime),
    eventSource: input.eventSource,
    eventName: input.eventName,
    awsRegion: input.global ? GLOBAL_EVENT_REGION : input.region,
    sourceIPAddress: input.sourceIp,
    userAgent: input.userAgent,
    errorCode: failed && !signIn ? input.error!.code : undefined,
    errorMessage: failed ? scrubSecretValues(input.error!.message, input.request) : undefined,
    requestParameters: parameters(input.request, 'request'),
    // Sign-in events keep AWS's own spelling (`{"ConsoleLogin": "Success"}`); API responses are camelCased.
    responseElements: recordResponse ? (signIn ? redactResponseElements(input.response!) : parameters(input.response, 'response', input.service)) : null,
    additionalEventData: input.additionalEventData ? redactResponseElements(input.additionalEventData) : undefined,
    requestID: input.requestId,
    eventID: input.eventId,
    readOnly: input.readOnly,
    eventType: input.eventType ?? 'AwsApiCall',
    resources: input.resources ? input.resources.map((r) => ({ ...(r.accountId ? { accountId: r.accountId } : {}), type: r.type, ARN: r.arn })) : undefined,
    managementEvent: input.eventCategory !== 'Data',
    recipientAccountId: input.accountId,
    sharedEventID: input.sharedEventId,
    eventCategory: input.eventCategory ?? 'Management',
    tlsDetails: input.tls ? { ...input.tls } : undefined,
    sessionCredentialFromConsole: input.consoleSession ? 'true' : undefined,
  };
}

/**
 * The caller's identity; a console session's (which AWS backs with temporary credentials) with the
 * `sessionContext` of a session its user or root opened themself, as a GetSessionToken session's:
 * no issuer, the sign-in time and whether it used MFA.
 */
function callerIdentity(p: Principal, consoleSession: AuditEventInput['consoleSession']): CloudTrailUserIdentity {
  const identity = userIdentityOf(p);
  if (consoleSession && !identity.sessionContext && (p.type === 'IAMUser' || p.type === 'Root')) {
    identity.sessionContext = { sessionIssuer: {}, attributes: { creationDate: formatEventTime(consoleSession.signedInAt), mfaAuthenticated: p.mfaAuthenticated ? 'true' : 'false' } };
  }
  return identity;
}

/**
 * IAM members of the model's `policyDocumentType`. IAM returns them URL-encoded, and AWS's records
 * show them so in `responseElements` (a CreateRole record's `role.assumeRolePolicyDocument` is
 * `%7B%22Version%22…`) while `requestParameters` keep the JSON the caller sent.
 */
const IAM_POLICY_DOCUMENT_MEMBERS = new Set(['AssumeRolePolicyDocument', 'PolicyDocument', 'Document', 'ResourcePolicy']);

function parameters(value: Record<string, unknown> | undefined, kind: 'request' | 'response', service?: string): Record<string, unknown> | null {
  if (value === undefined || Object.keys(value).length === 0) return null;
  const redacted = styledElements(value, kind === 'request' ? 'hide' : 'drop', kind === 'response' && service === 'iam') as Record<string, unknown>;
  return Object.keys(redacted).length === 0 ? null : redacted;
}

/** Marks, during `styledElements`, a member that is left out of the record. */
const LEFT_OUT: unique symbol = Symbol('left out');

/**
 * In one walk, what `toCloudTrailStyle` then `redactRequestParameters` (`hide`) or
 * `redactResponseElements` (`drop`) give, with IAM policy documents URL-encoded first when
 * `iamWire` (IAM responses as the wire carried them). The result must stay exactly that of the
 * composition, member order included (the record text is hashed): when two members camelCase to
 * one name, the first one's position and the last one's value win.
 */
function styledElements(value: unknown, mode: 'hide' | 'drop', iamWire: boolean, keepKeys = false): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return formatElementDate(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((v) => styledElements(v, mode, iamWire));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    let leftOut = false;
    // Object.keys, not Object.entries: the same own members in the same order, without a pair array each.
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      const name = keepKeys ? k : camelMemberName(k);
      if (isSecretMember(name)) {
        const hidden = mode === 'hide' && v !== null;
        out[name] = hidden ? HIDDEN : LEFT_OUT;
        leftOut ||= !hidden;
      } else {
        out[name] = iamWire && IAM_POLICY_DOCUMENT_MEMBERS.has(k) && typeof v === 'string' ? encodeURIComponent(v) : styledElements(v, mode, iamWire, !keepKeys && VERBATIM_KEY_MEMBERS.has(k));
      }
    }
    if (leftOut) for (const k of Object.keys(out)) if (out[k] === LEFT_OUT) delete out[k];
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** CloudTrail's `userIdentity` for an authenticated principal. */
export function userIdentityOf(p: Principal): CloudTrailUserIdentity {
  // AWS records a service's own calls (an instance role's credentials, for one) by who invoked them.
  if (p.type === 'AWSService') return { type: 'AWSService', invokedBy: p.principalId };
  // An identity provider's user (AssumeRoleWithWebIdentity/SAML): AWS records who the provider
  // vouched for, without an ARN or account.
  if (p.federation) return { type: p.type, principalId: p.principalId, userName: p.federation.subject, identityProvider: p.federation.identityProvider };
  const base: CloudTrailUserIdentity = {
    type: p.type,
    principalId: p.principalId,
    arn: p.arn,
    accountId: p.accountId,
    ...(p.accessKeyId !== undefined ? { accessKeyId: p.accessKeyId } : {}),
  };
  if (p.type === 'IAMUser' && p.userName !== undefined) base.userName = p.userName;
  // "If the userIdentity type is Root and you set an alias for your account, the userName field
  // contains your account alias" (CloudTrail User Guide, CloudTrail userIdentity element).
  else if (p.type === 'Root' && p.accountAlias !== undefined) base.userName = p.accountAlias;
  if (p.session) {
    const s = p.session;
    const issuerName = s.issuerType === 'Root' ? undefined : s.issuerName;
    base.sessionContext = {
      // AWS leaves sessionIssuer empty for GetSessionToken sessions of users and root.
      // A federated user's issuer is the IAM user (or root) that called GetFederationToken.
      sessionIssuer: s.issuerType === 'Role' || p.type === 'FederatedUser'
        ? { type: s.issuerType, principalId: s.issuerPrincipalId, arn: s.issuerArn, accountId: p.accountId, ...(issuerName ? { userName: issuerName } : {}) }
        : {},
      ...(p.type === 'AssumedRole' || p.type === 'WebIdentityUser'
        ? { webIdFederationData: s.federatedProvider !== undefined && s.issuedBy === 'AssumeRoleWithWebIdentity' ? { federatedProvider: s.federatedProvider, attributes: {} } : {} }
        : {}),
      attributes: { creationDate: formatEventTime(s.createdAt), mfaAuthenticated: s.mfaAuthenticated ? 'true' : 'false' },
      ...(s.sourceIdentity !== undefined ? { sourceIdentity: s.sourceIdentity } : {}),
    };
  }
  return base;
}

/**
 * True for the copy of a cross-account call delivered to the resource owner's trail (it shares an
 * event id with the caller's record and is addressed to another account than the caller's).
 */
export function isOtherAccountsCopy(input: Pick<AuditEventInput, 'caller' | 'accountId' | 'sharedEventId'>): boolean {
  return input.sharedEventId !== undefined && input.caller !== undefined && input.caller.accountId !== input.accountId;
}

/**
 * How the resource owner's trail shows a caller of another account: CloudTrail's `AWSAccount`
 * identity, the caller's account and principal id only (its name, ARN and key stay in its own
 * account's record, which the shared event id leads to).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
function otherAccountIdentity(p: Principal): CloudTrailUserIdentity {
  return { type: 'AWSAccount', principalId: p.principalId, accountId: p.accountId };
}

/**
 * The identity of a request whose authentication failed: nothing is proven, so AWS records only
 * the key the request claimed and the account it belongs to, if any.
 */
function unauthenticatedIdentity(input: AuditEventInput): CloudTrailUserIdentity {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html#hiddensecurity
  if (input.unknownSignInName) return { type: 'IAMUser', accountId: input.accountId, accessKeyId: '', userName: HIDDEN };
  return {
    type: 'Unknown',
    principalId: '',
    ...(input.accountId ? { accountId: input.accountId } : {}),
    ...(input.claimedAccessKeyId ? { accessKeyId: input.claimedAccessKeyId } : {}),
  };
}

/**
 * The record as the exact JSON text that is stored, hashed, exported and returned by
 * LookupEvents' `CloudTrailEvent`.
 */
export function serializeRecord(record: CloudTrailRecord): string {
  return JSON.stringify(record);
}
