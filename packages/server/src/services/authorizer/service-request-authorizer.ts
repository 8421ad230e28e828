/**
 * Castellan as the authorization layer of another service: verifies the SigV4 signature of a
 * request the service received (header or presigned, declared payload hashes and streaming
 * bodies), decides the actions the service maps it to with the caller's policies and the
 * service's resource policy, and records a CloudTrail data event in the caller's account (and in
 * the resource owner's when that is another account and the asking service's own, as CloudTrail
 * delivers to both). What the service may assert is bounded: the event is a `Data` event of its
 * own event source (`<service>.amazonaws.com`), it writes into no trail but its client's and its
 * own account's, its condition keys set no global key Castellan derives, and a principal snapshot
 * is given only to a service of the principal's own account.
 *
 * @module
 */
import { accessDeniedMessage } from '@castellan/policy';
import { refusedServiceConditionKey } from '../../catalog/service-condition-keys.js';
import { credentialFacts } from '../../domain/credential-facts.js';
import type { Ids, Principal, RequestContext } from '../../domain/context.js';
import { AwsError, ExpiredTokenError, InvalidClientTokenIdError, SignatureDoesNotMatchError, ValidationError } from '../../domain/errors.js';
import type { AuditEventInput } from '../../domain/ports/audit-event.js';
import type { AuditLog } from '../../domain/ports/audit-log.js';
import type { AuthenticationFacts } from '../../domain/ports/authenticator.js';
import type { AuthorizationDecision, AuthorizationRequest, Authorizer, ConditionContext } from '../../domain/ports/authorizer.js';
import type { CredentialResolver } from '../../domain/ports/credential-resolver.js';
import { canonicalOptionsFor, credentialScope, declaredPayload, forwardedSignatureMatches, forwardedSigV4Request } from '../../sigv4/forwarded-request.js';
import { parseSignature } from '../../sigv4/parse-signature.js';
import { SigningKeyCache } from '../../sigv4/signing-key-cache.js';
import { checkRequestTime, DEFAULT_MAX_SKEW_MS } from '../../sigv4/verify-signature.js';
import { federatingUserArnOf, loadPrincipalPolicies } from '../authorization/principal-policies.js';
import type { PolicyReader } from '../service-deps.js';
import { authenticationView, type ActionDecisionView, type DataEventSpec, type DecidingStatementView, type PrincipalSnapshot, type ServiceRequestAnswer, type ServiceRequestInput, type SnapshotPolicy } from './service-request.js';

/** The `additionalEventData` member naming the service that asked for the decision (a Castellan extension). */
export const AUTHORIZED_BY_EVENT_DATA_KEY = 'castellan:authorizedBy';

/** What {@link ServiceRequestAuthorizer} works with (wired by the composition root). */
export interface ServiceRequestAuthorizerDeps {
  /** Finds the secret of the client's access key (long-term or sealed session). */
  credentials: CredentialResolver;
  /** The same authorizer the pipeline uses, so the decision is Castellan's own. */
  authorizer: Authorizer;
  /** Where the data events go. */
  audit: Pick<AuditLog, 'record'>;
  ids: Ids;
  /** Reads a principal's policies for snapshots. */
  policies: PolicyReader;
  /** The global `aws:*` keys of a verified request (the pipeline's own builder). */
  globalConditionKeys(ctx: RequestContext, facts: AuthenticationFacts, transport: { secureTransport: boolean }): ConditionContext;
  /**
   * Signing names of Castellan's own services: requests signed for them are never verified for
   * another service (their signing key would let it call Castellan as the client).
   */
  reservedServices: readonly string[];
  /** Allowed clock skew of header-signed requests. Default is 15 minutes. */
  maxSkewMs?: number;
  /** How long a principal snapshot may be used. Default is 5 minutes. */
  snapshotTtlMs?: number;
}

/** The call that asks: who asks (the registered service's principal), when, and its request id. */
export interface AskingCall {
  requestId: string;
  now: Date;
  /** The service principal calling `AuthorizeRequest`. */
  caller: Principal;
  /** The service's own signing name (`s3`): requests must be scoped to it. */
  service: string;
}

/** Decides requests other services received; see the module comment. */
export class ServiceRequestAuthorizer {
  readonly #keys = new SigningKeyCache();

  constructor(private readonly deps: ServiceRequestAuthorizerDeps) {}

  /** Verifies, decides and records one request. Throws only for a malformed question (`ValidationError`). */
  async authorize(input: ServiceRequestInput, call: AskingCall): Promise<ServiceRequestAnswer> {
    const { deps } = this;
    if (deps.reservedServices.includes(call.service)) {
      throw new ValidationError(`Service '${call.service}' is Castellan's own: its requests cannot be authorized for another service`);
    }
    const conditionKeys = input.conditionKeys;
    if (conditionKeys !== undefined) {
      const refused = refusedServiceConditionKey(Object.keys(conditionKeys));
      if (refused !== undefined) throw new ValidationError(refused);
    }
    if (input.event) checkEvent(input.event, call.service);
    const req = forwardedSigV4Request(input.request);
    let verified: Awaited<ReturnType<ServiceRequestAuthorizer['verify']>>;
    try {
      verified = await this.verify(req, input, call);
    } catch (err) {
      if (err instanceof AwsError) return { authenticated: false, error: { code: err.code, message: err.message } };
      throw err;
    }
    const { principal, sig, payload, signingKey } = verified;
    // credentialFacts answers a new object each call: completed in place rather than copied.
    const facts = credentialFacts(principal) as AuthenticationFacts;
    facts.method = sig.kind === 'header' ? 'sigv4-header' : 'sigv4-presigned';
    facts.accessKeyId = sig.accessKeyId;
    facts.scope = { region: sig.region, service: sig.service };
    const ctx: RequestContext = {
      requestId: call.requestId,
      now: call.now,
      caller: principal,
      sourceIp: input.sourceIp,
      userAgent: req.header('user-agent') ?? '',
      region: sig.region,
    };
    const global = deps.globalConditionKeys(ctx, facts, { secureTransport: input.secureTransport === true });
    // The service's keys were checked above: none is a global key Castellan sets or leaves absent.
    const context = conditionKeys !== undefined && Object.keys(conditionKeys).length > 0 ? { ...conditionKeys, ...global } : global;
    const rp = input.resourcePolicy;
    const resourcePolicy = rp ? { kind: 'resource' as const, policyId: rp.policyId ?? 'resource-policy', document: rp.document } : undefined;
    const answers: AuthorizationDecision[] = [];
    const decisions: ActionDecisionView[] = [];
    let allowed = true;
    for (const a of input.authorizations) {
      const request: AuthorizationRequest = { action: a.action, resource: a.resource, context };
      if (a.resourceAccount) request.resourceAccount = a.resourceAccount;
      if (resourcePolicy) request.resourcePolicy = resourcePolicy;
      const answer = await deps.authorizer.authorize(ctx, request);
      answers.push(answer);
      const view = decisionView(answer);
      decisions.push(view);
      if (view.effect !== 'allow') allowed = false;
    }
    if (input.event) await this.record(input, call, ctx, facts, answers, decisions);

    const answer: ServiceRequestAnswer = {
      authenticated: true,
      principal,
      authentication: authenticationView(sig, facts),
      decisions,
      allowed,
      payload,
    };
    if (payload.kind === 'streaming-signed') {
      answer.streaming = { signingKey: signingKey.toString('hex'), seedSignature: sig.signature, amzDate: sig.amzDate, scope: credentialScope(sig) };
    }
    // Only a service of the principal's own account gets its policies, tags and signing key; another
    // gets none, and its in-process check asks again for each request of that principal.
    if (input.includePrincipalSnapshot && call.caller.accountId === principal.accountId) answer.snapshot = await this.snapshot(principal, sig, signingKey, call.now);
    return answer;
  }

  /** AWS's order of checks, each with AWS's error: signature form, scope, time, payload, key, signature. */
  private async verify(req: ReturnType<typeof forwardedSigV4Request>, input: ServiceRequestInput, call: AskingCall) {
    const sig = parseSignature(req);
    if (sig.service !== call.service) throw new SignatureDoesNotMatchError(`Credential should be scoped to correct service: '${call.service}'. `);
    checkRequestTime(sig, call.now, this.deps.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
    const s3 = call.service === 's3';
    const { hash, declaration } = declaredPayload(req, sig, input.bodySha256 ? { s3, bodySha256: input.bodySha256 } : { s3 });
    const found = await this.deps.credentials.resolve(sig.accessKeyId, sig.sessionToken, call.now);
    if (!found || found.status === 'inactive') throw new InvalidClientTokenIdError('The security token included in the request is invalid.');
    if (found.status === 'expired') throw new ExpiredTokenError('The security token included in the request is expired');
    const { key: signingKey, hmac } = this.#keys.signingKey(found.secretAccessKey, sig.scopeDate, sig.region, sig.service);
    if (!forwardedSignatureMatches(req, sig, hash, hmac, canonicalOptionsFor(call.service))) {
      throw new SignatureDoesNotMatchError(
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    this.deps.credentials.recordUse?.(sig.accessKeyId, { at: call.now, service: sig.service, region: sig.region });
    return { principal: found.principal, sig, payload: declaration, signingKey };
  }

  /**
   * The data event, in the caller's account and (cross-account) in the resource owner's when the
   * owner is the asking service's own account: a service may name any account as a resource's
   * owner (it decides cross-account evaluation) but writes into no other account's trail. Built
   * with plain assignments, not spreads: it runs on every call, and each spread was an object.
   */
  private async record(input: ServiceRequestInput, call: AskingCall, ctx: RequestContext, facts: AuthenticationFacts, answers: AuthorizationDecision[], views: ActionDecisionView[]): Promise<void> {
    const spec = input.event!;
    // The first denial explains the event; an allowed request, its first decision.
    let denial = -1;
    for (let i = 0; i < answers.length; i++) {
      if (answers[i]!.decision.effect !== 'allow') {
        denial = i;
        break;
      }
    }
    const decidingView = views[denial >= 0 ? denial : 0];
    const own = ctx.caller.accountId;
    // The other account the event also goes to (nearly always none): the service's own, when it owns a resource.
    const service = call.caller.accountId;
    let others: string[] | undefined;
    if (service !== own && (spec.resources?.some((r) => r.accountId === service) || input.authorizations.some((a) => a.resourceAccount === service))) others = [service];
    const additionalEventData: Record<string, unknown> = {
      SignatureVersion: 'SigV4',
      AuthenticationMethod: facts.method === 'sigv4-header' ? 'AuthHeader' : 'QueryString',
    };
    additionalEventData[AUTHORIZED_BY_EVENT_DATA_KEY] = call.caller.arn;
    if (decidingView) additionalEventData['castellan:decision'] = decidingView;
    const base = {
      requestId: call.requestId,
      eventTime: call.now,
      service: call.service,
      eventSource: `${call.service}.amazonaws.com`,
      eventName: spec.eventName,
      region: ctx.region,
      global: false,
      sourceIp: ctx.sourceIp,
      userAgent: ctx.userAgent,
      caller: ctx.caller,
    } as AuditEventInput;
    if (spec.requestParameters) base.request = spec.requestParameters;
    if (denial >= 0 && decidingView?.message !== undefined) base.error = { code: 'AccessDenied', message: decidingView.message };
    base.readOnly = spec.readOnly;
    base.eventCategory = spec.category ?? 'Data';
    if (spec.resources) base.resources = spec.resources;
    base.additionalEventData = additionalEventData;
    if (others === undefined) {
      base.eventId = this.deps.ids.requestId();
      base.accountId = own;
      await this.deps.audit.record(base);
      return;
    }
    const shared = this.deps.ids.requestId();
    for (const accountId of [own, ...others]) {
      // The owner's copy shows the caller as an AWSAccount identity (the record builder does it for
      // a shared event of another account) and names only the owner's own (resource) statements.
      const event = accountId === own || !decidingView ? base : { ...base, additionalEventData: { ...additionalEventData, 'castellan:decision': ownersView(decidingView) } };
      await this.deps.audit.record({ ...event, eventId: this.deps.ids.requestId(), accountId, sharedEventId: shared });
    }
  }

  private async snapshot(principal: Principal, sig: ReturnType<typeof parseSignature>, signingKey: Buffer, now: Date): Promise<PrincipalSnapshot> {
    const loaded = await loadPrincipalPolicies(this.deps.policies, principal);
    const view = (list: Array<{ policyId: string; name: string; document: string }>): SnapshotPolicy[] =>
      list.map((p) => ({ policyId: p.policyId, name: p.name, document: p.document }));
    let validUntil = now.getTime() + (this.deps.snapshotTtlMs ?? 5 * 60_000);
    if (principal.session) validUntil = Math.min(validUntil, principal.session.expiresAt.getTime());
    const federatingUserArn = federatingUserArnOf(principal, loaded);
    return {
      accessKeyId: sig.accessKeyId,
      principal,
      signingKey: signingKey.toString('hex'),
      scope: { date: sig.scopeDate, region: sig.region, service: sig.service },
      // A deleted user or role: nothing allows it (the same as the server's own decision).
      policies: loaded
        ? { identity: view(loaded.identity), ...(loaded.boundary ? { boundary: view(loaded.boundary) } : {}), ...(loaded.session ? { session: view(loaded.session) } : {}) }
        : { identity: [] },
      tags: loaded?.tags ?? {},
      validUntil: new Date(validUntil),
      ...(federatingUserArn !== undefined ? { federatingUserArn } : {}),
    };
  }
}

/**
 * Refuses an event the service may not record: one under another service's event source. Its own
 * calls may be data or management events (S3's CreateBucket is a management event in CloudTrail);
 * where copies go is bounded apart (the client's account, and the service's own as owner).
 */
function checkEvent(spec: DataEventSpec, service: string): void {
  const source = `${service}.amazonaws.com`;
  if (spec.eventSource !== undefined && spec.eventSource !== source) {
    throw new ValidationError(`Event: EventSource '${spec.eventSource}' is not the service's own: a service records events of its signing service only ('${source}', the default)`);
  }
}

// Canonicalization options shared by every request (read only).

/** A decision as another account's trail keeps it: only the resource policy's statements, no caller text. */
function ownersView(view: ActionDecisionView): ActionDecisionView {
  const { message: _message, ...rest } = view;
  return { ...rest, decidedBy: view.decidedBy.filter((s) => s.policyKind === 'resource') };
}

/** The answer's view of one decision, with AWS's AccessDenied text for a denial. */
function decisionView({ decision, evaluated }: AuthorizationDecision): ActionDecisionView {
  const decidedBy: DecidingStatementView[] = [];
  for (const s of decision.decidedBy) {
    const statement: DecidingStatementView = { policyId: s.policyId, policyKind: s.policyKind, statementIndex: s.statementIndex, effect: s.effect };
    if (s.policyName !== undefined) statement.policyName = s.policyName;
    if (s.sid) statement.sid = s.sid;
    decidedBy.push(statement);
  }
  const view: ActionDecisionView = { action: evaluated.action, resource: evaluated.resource, effect: decision.effect, decidedBy };
  if (decision.reason.kind !== 'allowed') view.deniedBy = decision.reason.layer;
  if (decision.missingContextKeys.length > 0) view.missingContextKeys = [...decision.missingContextKeys];
  if (decision.effect !== 'allow') view.message = accessDeniedMessage(evaluated, decision);
  return view;
}
