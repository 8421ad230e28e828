/**
 * castellan:AuthorizeRequest: Castellan as the authorization layer of another service. The service's
 * principal sends a request its client signed; the answer is the verified principal, the decision
 * per action and, for streaming bodies or in-process checks, the signing material. The work is
 * `services/authorizer/service-request-authorizer.ts`; this file maps the wire shapes.
 *
 * The condition key `castellan:SigningService` (the `Service` asked for) lets an operator say which
 * services a principal may authorize requests for.
 *
 * Recorded once: a call that recorded the client's data event gets no management event of its own.
 */
import type { Principal } from '../../../../domain/context.js';
import { NotImplementedError, ValidationError } from '../../../../domain/errors.js';
import type { PrincipalSnapshot, ServiceRequestAnswer, ServiceRequestInput } from '../../../../services/authorizer/service-request.js';
import type { AuthorizeRequestRequest, AuthorizeRequestResponse, PrincipalView, PrincipalSnapshotView } from '../../../model/castellan-types.js';
import { castellanOperation } from '../../../define-operation.js';

/** The AuthorizeRequest operation. */
export const authorizeRequest = castellanOperation('AuthorizeRequest', {
  resource: () => '*',
  conditionKeys: (input) => ({ 'castellan:SigningService': input.Service }),
  // The data event of a verified client request stands for the call (it names the asking service
  // in `castellan:authorizedBy` and shares the call's request id), as CloudTrail records S3's data
  // event and no internal authorization call. A call without one (no `Event`, or a client request
  // that failed authentication, which gets no data event) and a refused call keep their own event.
  recordedByExecute: (input, output) => input.Event !== undefined && output.Authenticated,
  async execute(input, ctx, deps) {
    if (!deps.serviceRequests) throw new NotImplementedError('This server does not authorize requests for other services.');
    const answer = await deps.serviceRequests.authorize(serviceInput(input), { requestId: ctx.requestId, now: ctx.now, caller: ctx.caller, service: input.Service });
    return wireAnswer(answer);
  },
});

function serviceInput(w: AuthorizeRequestRequest): ServiceRequestInput {
  const e = w.Event;
  return {
    request: { method: w.ClientRequest.Method, path: w.ClientRequest.Path, query: w.ClientRequest.Query ?? '', headers: w.ClientRequest.Headers },
    sourceIp: w.SourceIp,
    ...(w.SecureTransport !== undefined ? { secureTransport: w.SecureTransport } : {}),
    ...(w.BodySha256 !== undefined ? { bodySha256: w.BodySha256 } : {}),
    authorizations: w.Authorizations.map((a) => ({ action: a.Action, resource: a.Resource, ...(a.ResourceAccount ? { resourceAccount: a.ResourceAccount } : {}) })),
    ...(w.ResourcePolicy ? { resourcePolicy: { ...(w.ResourcePolicy.PolicyId ? { policyId: w.ResourcePolicy.PolicyId } : {}), document: w.ResourcePolicy.Document } } : {}),
    // One value is a single-valued key (`s3:prefix`); several make a multivalued one (`aws:TagKeys`).
    ...(w.ConditionKeys ? { conditionKeys: Object.fromEntries(Object.entries(w.ConditionKeys).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])) } : {}),
    ...(e
      ? {
          event: {
            ...(e.EventSource ? { eventSource: e.EventSource } : {}),
            eventName: e.EventName,
            ...(e.EventCategory !== undefined ? { category: eventCategory(e.EventCategory) } : {}),
            readOnly: e.ReadOnly,
            ...(e.RequestParameters ? { requestParameters: e.RequestParameters } : {}),
            ...(e.Resources ? { resources: e.Resources.map((r) => ({ type: r.Type, arn: r.Arn, ...(r.AccountId ? { accountId: r.AccountId } : {}) })) } : {}),
          },
        }
      : {}),
    ...(w.IncludePrincipalSnapshot ? { includePrincipalSnapshot: true } : {}),
  };
}

function eventCategory(value: string): 'Data' | 'Management' {
  if (value === 'Data' || value === 'Management') return value;
  throw new ValidationError(`1 validation error detected: Value '${value}' at 'event.eventCategory' failed to satisfy constraint: Member must satisfy enum value set: [Data, Management]`);
}

function principalView(p: Principal): PrincipalView {
  const s = p.session;
  return {
    Type: p.type,
    AccountId: p.accountId,
    Arn: p.arn,
    PrincipalId: p.principalId,
    ...(p.userName !== undefined ? { UserName: p.userName } : {}),
    ...(p.accessKeyId !== undefined ? { AccessKeyId: p.accessKeyId } : {}),
    MfaAuthenticated: p.mfaAuthenticated,
    ...(s
      ? {
          Session: {
            IssuerArn: s.issuerArn,
            IssuerType: s.issuerType,
            IssuerName: s.issuerName,
            IssuerPrincipalId: s.issuerPrincipalId,
            ...(s.sessionName !== undefined ? { SessionName: s.sessionName } : {}),
            CreatedAt: s.createdAt,
            ExpiresAt: s.expiresAt,
            MfaAuthenticated: s.mfaAuthenticated,
            ...(s.mfaAuthenticatedAt ? { MfaAuthenticatedAt: s.mfaAuthenticatedAt } : {}),
            ...(s.tags ? { Tags: s.tags } : {}),
            ...(s.sourceIdentity !== undefined ? { SourceIdentity: s.sourceIdentity } : {}),
          },
        }
      : {}),
  };
}

function snapshotView(s: PrincipalSnapshot): PrincipalSnapshotView {
  const policies = (list: PrincipalSnapshot['policies']['identity']) => list.map((p) => ({ PolicyId: p.policyId, Name: p.name, Document: p.document }));
  return {
    AccessKeyId: s.accessKeyId,
    Principal: principalView(s.principal),
    SigningKey: s.signingKey,
    Scope: { Date: s.scope.date, Region: s.scope.region, Service: s.scope.service },
    Policies: {
      Identity: policies(s.policies.identity),
      ...(s.policies.boundary ? { Boundary: policies(s.policies.boundary) } : {}),
      ...(s.policies.session ? { Session: policies(s.policies.session) } : {}),
    },
    Tags: s.tags,
    ValidUntil: s.validUntil,
  };
}

function wireAnswer(a: ServiceRequestAnswer): AuthorizeRequestResponse {
  if (!a.authenticated) return { Authenticated: false, Error: { Code: a.error.code, Message: a.error.message } };
  const auth = a.authentication;
  const payload = a.payload;
  return {
    Authenticated: true,
    Principal: principalView(a.principal),
    Authentication: {
      Method: auth.method,
      AccessKeyId: auth.accessKeyId,
      TemporaryCredentials: auth.temporaryCredentials,
      MfaAuthenticated: auth.mfaAuthenticated,
      Region: auth.region,
      Service: auth.service,
      SignedAt: auth.signedAt,
      ...(auth.expiresAt ? { ExpiresAt: auth.expiresAt } : {}),
    },
    Decisions: a.decisions.map((d) => ({
      Action: d.action,
      Resource: d.resource,
      Effect: d.effect,
      DecidedBy: d.decidedBy.map((s) => ({ PolicyId: s.policyId, ...(s.policyName !== undefined ? { PolicyName: s.policyName } : {}), PolicyKind: s.policyKind, StatementIndex: s.statementIndex, ...(s.sid ? { Sid: s.sid } : {}), Effect: s.effect })),
      ...(d.deniedBy ? { DeniedBy: d.deniedBy } : {}),
      ...(d.missingContextKeys ? { MissingContextKeys: d.missingContextKeys } : {}),
      ...(d.message ? { Message: d.message } : {}),
    })),
    Allowed: a.allowed,
    Payload: {
      Kind: payload.kind,
      ...(payload.kind === 'sha256' ? { Sha256: payload.sha256 } : {}),
      ...(payload.kind === 'streaming-signed' ? { Trailer: payload.trailer } : {}),
    },
    ...(a.streaming ? { Streaming: { SigningKey: a.streaming.signingKey, SeedSignature: a.streaming.seedSignature, AmzDate: a.streaming.amzDate, Scope: a.streaming.scope } } : {}),
    ...(a.snapshot ? { Snapshot: snapshotView(a.snapshot) } : {}),
  };
}
