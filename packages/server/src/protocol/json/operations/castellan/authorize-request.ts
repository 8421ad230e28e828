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
import type { DataEventSpec, PrincipalSnapshot, RequestedAuthorization, ServiceRequestAnswer, ServiceRequestInput } from '../../../../services/authorizer/service-request.js';
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

// The mappings below run on every call: plain assignments, not spreads (each spread was an object).
function serviceInput(w: AuthorizeRequestRequest): ServiceRequestInput {
  const c = w.ClientRequest;
  const authorizations = new Array<RequestedAuthorization>(w.Authorizations.length);
  for (let i = 0; i < authorizations.length; i++) {
    const a = w.Authorizations[i]!;
    authorizations[i] = a.ResourceAccount ? { action: a.Action, resource: a.Resource, resourceAccount: a.ResourceAccount } : { action: a.Action, resource: a.Resource };
  }
  const input: ServiceRequestInput = {
    request: { method: c.Method, path: c.Path, query: c.Query ?? '', headers: c.Headers },
    sourceIp: w.SourceIp,
    authorizations,
  };
  if (w.SecureTransport !== undefined) input.secureTransport = w.SecureTransport;
  if (w.BodySha256 !== undefined) input.bodySha256 = w.BodySha256;
  const rp = w.ResourcePolicy;
  if (rp) input.resourcePolicy = rp.PolicyId ? { policyId: rp.PolicyId, document: rp.Document } : { document: rp.Document };
  // One value is a single-valued key (`s3:prefix`); several make a multivalued one (`aws:TagKeys`).
  if (w.ConditionKeys) input.conditionKeys = Object.fromEntries(Object.entries(w.ConditionKeys).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
  const e = w.Event;
  if (e) {
    const event: DataEventSpec = { eventName: e.EventName, readOnly: e.ReadOnly };
    if (e.EventSource) event.eventSource = e.EventSource;
    if (e.EventCategory !== undefined) event.category = eventCategory(e.EventCategory);
    if (e.RequestParameters) event.requestParameters = e.RequestParameters;
    if (e.Resources) event.resources = e.Resources.map((r) => (r.AccountId ? { type: r.Type, arn: r.Arn, accountId: r.AccountId } : { type: r.Type, arn: r.Arn }));
    input.event = event;
  }
  if (w.IncludePrincipalSnapshot) input.includePrincipalSnapshot = true;
  return input;
}

function eventCategory(value: string): 'Data' | 'Management' {
  if (value === 'Data' || value === 'Management') return value;
  throw new ValidationError(`1 validation error detected: Value '${value}' at 'event.eventCategory' failed to satisfy constraint: Member must satisfy enum value set: [Data, Management]`);
}

function principalView(p: Principal): PrincipalView {
  const view: PrincipalView = { Type: p.type, AccountId: p.accountId, Arn: p.arn, PrincipalId: p.principalId } as PrincipalView;
  if (p.userName !== undefined) view.UserName = p.userName;
  if (p.accessKeyId !== undefined) view.AccessKeyId = p.accessKeyId;
  view.MfaAuthenticated = p.mfaAuthenticated;
  const s = p.session;
  if (s) {
    const session: NonNullable<PrincipalView['Session']> = {
      IssuerArn: s.issuerArn,
      IssuerType: s.issuerType,
      IssuerName: s.issuerName,
      IssuerPrincipalId: s.issuerPrincipalId,
    } as NonNullable<PrincipalView['Session']>;
    if (s.sessionName !== undefined) session.SessionName = s.sessionName;
    session.CreatedAt = s.createdAt;
    session.ExpiresAt = s.expiresAt;
    session.MfaAuthenticated = s.mfaAuthenticated;
    if (s.mfaAuthenticatedAt) session.MfaAuthenticatedAt = s.mfaAuthenticatedAt;
    if (s.tags) session.Tags = s.tags;
    if (s.sourceIdentity !== undefined) session.SourceIdentity = s.sourceIdentity;
    view.Session = session;
  }
  return view;
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
    ...(s.federatingUserArn !== undefined ? { FederatingUserArn: s.federatingUserArn } : {}),
  };
}

function wireAnswer(a: ServiceRequestAnswer): AuthorizeRequestResponse {
  if (!a.authenticated) return { Authenticated: false, Error: { Code: a.error.code, Message: a.error.message } };
  const auth = a.authentication;
  const payload = a.payload;
  const authentication: AuthorizeRequestResponse['Authentication'] & object = {
    Method: auth.method,
    AccessKeyId: auth.accessKeyId,
    TemporaryCredentials: auth.temporaryCredentials,
    MfaAuthenticated: auth.mfaAuthenticated,
    Region: auth.region,
    Service: auth.service,
    SignedAt: auth.signedAt,
  };
  if (auth.expiresAt) authentication.ExpiresAt = auth.expiresAt;
  const decisions = new Array<NonNullable<AuthorizeRequestResponse['Decisions']>[number]>(a.decisions.length);
  for (let i = 0; i < decisions.length; i++) {
    const d = a.decisions[i]!;
    const decidedBy = new Array<(typeof decisions)[number]['DecidedBy'][number]>(d.decidedBy.length);
    for (let j = 0; j < decidedBy.length; j++) {
      const s = d.decidedBy[j]!;
      const statement = { PolicyId: s.policyId } as (typeof decidedBy)[number];
      if (s.policyName !== undefined) statement.PolicyName = s.policyName;
      statement.PolicyKind = s.policyKind;
      statement.StatementIndex = s.statementIndex;
      if (s.sid) statement.Sid = s.sid;
      statement.Effect = s.effect;
      decidedBy[j] = statement;
    }
    const decision: (typeof decisions)[number] = { Action: d.action, Resource: d.resource, Effect: d.effect, DecidedBy: decidedBy };
    if (d.deniedBy) decision.DeniedBy = d.deniedBy;
    if (d.missingContextKeys) decision.MissingContextKeys = d.missingContextKeys;
    if (d.message) decision.Message = d.message;
    decisions[i] = decision;
  }
  const payloadView: AuthorizeRequestResponse['Payload'] & object = { Kind: payload.kind };
  if (payload.kind === 'sha256') payloadView.Sha256 = payload.sha256;
  if (payload.kind === 'streaming-signed') payloadView.Trailer = payload.trailer;
  const out: AuthorizeRequestResponse = {
    Authenticated: true,
    Principal: principalView(a.principal),
    Authentication: authentication,
    Decisions: decisions,
    Allowed: a.allowed,
    Payload: payloadView,
  };
  if (a.streaming) {
    const streaming: NonNullable<AuthorizeRequestResponse['Streaming']> = { SeedSignature: a.streaming.seedSignature, AmzDate: a.streaming.amzDate, Scope: a.streaming.scope };
    if (a.streaming.signingKey !== undefined) streaming.SigningKey = a.streaming.signingKey;
    out.Streaming = streaming;
  }
  if (a.snapshot) out.Snapshot = snapshotView(a.snapshot);
  return out;
}
