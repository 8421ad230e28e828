/**
 * Castellan as the authorization layer of another service: verifies the SigV4 signature of a
 * request the service received (header or presigned, declared payload hashes and streaming
 * bodies), decides the actions the service maps it to with the caller's policies and the
 * service's resource policy, and records a CloudTrail event in the caller's account (and in
 * the resource owner's when that is another account and the asking service's own, as CloudTrail
 * delivers to both). What the service may ask and assert is bounded: the actions are its own
 * service's, the event is of its own event source (`<service>.amazonaws.com`), it writes into no
 * trail but its client's and its own account's, its condition keys set no global key Castellan
 * derives, and a principal snapshot is given only to a service of the principal's own account.
 * A service asking about a client of another account is told who signed and the decisions, but not
 * the statements of the client's policies, nor the streaming signing key, and its event goes to its
 * own trail only, unless its principal is one the operator listed as the platform's (management
 * account users and roles, `platformPrincipals`): those are trusted with every account's clients.
 *
 * @module
 */
import { accessDeniedMessage } from '@castellan/policy';
import { refusedServiceConditionKey } from '../../catalog/service-condition-keys.js';
import { credentialFacts } from '../../domain/credential-facts.js';
import type { Ids, Principal, RequestContext } from '../../domain/context.js';
import { principalArnOf } from '../../domain/principal-arn.js';
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
import { refusedServiceAction, refusedServiceEvent } from './service-question.js';
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
  /**
   * The deployment's management account (made on first start): the only account whose principals
   * can be the platform's.
   */
  managementAccount(): Promise<string | undefined>;
  /**
   * ARNs of the management account's IAM users and roles whose services are the platform's,
   * trusted for the clients of every account as AWS's own services are; a role's ARN stands for
   * every session of the role (it is compared with the caller's `aws:PrincipalArn`, exactly). A
   * deployment setting (`--platform-principals`), never an IAM permission: being allowed
   * `castellan:AuthorizeRequest` in the management account, even `"Action": "*"`, earns no more
   * than any account's service gets. Default is none.
   */
  platformPrincipals?: readonly string[];
}

/**
 * How far the asking service is trusted with a client: of the client's own account (`own`), the
 * platform's (`platform`: a management-account principal the operator listed in
 * `platformPrincipals`, trusted for every account), or any other (`foreign`: it learns who signed and
 * the decisions, nothing of the client's policies, no signing material, and it records only into its
 * own account's trail). An unlisted principal of the management account is `foreign` to the
 * clients of other accounts.
 */
export type AskerStanding = 'own' | 'platform' | 'foreign';

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
  /** The management account once known (it never changes after the first start). */
  #management: string | undefined;
  readonly #platform: ReadonlySet<string>;

  constructor(private readonly deps: ServiceRequestAuthorizerDeps) {
    this.#platform = new Set(deps.platformPrincipals ?? []);
  }

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
    const action = refusedServiceAction(input.authorizations.map((a) => a.action), call.service);
    if (action !== undefined) throw new ValidationError(action);
    if (input.event) {
      const refused = refusedServiceEvent(input.event, call.service);
      if (refused !== undefined) throw new ValidationError(refused);
    }
    const req = forwardedSigV4Request(input.request);
    let verified: Awaited<ReturnType<ServiceRequestAuthorizer['verify']>>;
    try {
      verified = await this.verify(req, input, call);
    } catch (err) {
      if (err instanceof AwsError) return { authenticated: false, error: { code: err.code, message: err.message } };
      throw err;
    }
    const { principal, sig, payload, signingKey } = verified;
    const standing = await this.standing(call.caller, principal.accountId);
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
      // A foreign service learns the decision, not which of the client's statements made it.
      decisions.push(standing === 'foreign' ? ownersView(view) : view);
      if (view.effect !== 'allow') allowed = false;
    }
    if (input.event) await this.record(input, call, ctx, facts, answers, decisions, standing);

    const answer: ServiceRequestAnswer = {
      authenticated: true,
      principal: standing === 'foreign' ? foreignView(principal) : principal,
      authentication: authenticationView(sig, facts),
      decisions,
      allowed,
      payload,
    };
    if (payload.kind === 'streaming-signed') {
      // The key signs as the client for this date, region and service: only a service of the
      // client's account or the platform's gets it. Without it a service must refuse the upload.
      answer.streaming = { seedSignature: sig.signature, amzDate: sig.amzDate, scope: credentialScope(sig) };
      if (standing !== 'foreign') answer.streaming.signingKey = signingKey.toString('hex');
    }
    // Only a service of the principal's own account gets its policies, tags and signing key; another
    // gets none, and its in-process check asks again for each request of that principal.
    if (input.includePrincipalSnapshot && call.caller.accountId === principal.accountId) answer.snapshot = await this.snapshot(principal, sig, signingKey, call.now);
    return answer;
  }

  /** How far the service signing as `asker` is trusted with a client of `client` (see {@link AskerStanding}). */
  private async standing(asker: Principal, client: string): Promise<AskerStanding> {
    if (asker.accountId === client) return 'own';
    // A user's GetSessionToken session carries the user's ARN as it was at issue: after the user
    // is renamed (an operator demoting it) it would keep the standing. Only a listed user's own
    // keys and a listed role's sessions (roles cannot be renamed) have it.
    if (asker.type === 'IAMUser' && asker.session) return 'foreign';
    if (this.#platform.size === 0 || !this.#platform.has(principalArnOf(asker))) return 'foreign';
    // INVARIANT: only the management account's principals are the platform's (start refuses a
    // listed ARN of another account; this holds even if an embedder passes one).
    this.#management ??= await this.deps.managementAccount();
    return asker.accountId === this.#management ? 'platform' : 'foreign';
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
  private async record(input: ServiceRequestInput, call: AskingCall, ctx: RequestContext, facts: AuthenticationFacts, answers: AuthorizationDecision[], views: ActionDecisionView[], standing: AskerStanding): Promise<void> {
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
    if (standing !== 'foreign' && service !== own && (spec.resources?.some((r) => r.accountId === service) || input.authorizations.some((a) => a.resourceAccount === service))) others = [service];
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
    // A foreign service's view has no message (it would quote the client's policies): S3's own text.
    if (denial >= 0) base.error = { code: 'AccessDenied', message: decidingView?.message ?? 'Access Denied' };
    base.readOnly = spec.readOnly;
    base.eventCategory = spec.category ?? 'Data';
    if (spec.resources) base.resources = spec.resources;
    base.additionalEventData = additionalEventData;
    if (standing === 'foreign') {
      // A service not trusted with its client asserts nothing into the client's trail: the event goes
      // to its own account alone, as the owner's copy (the views are already the owner's, and the
      // caller an AWSAccount identity).
      base.eventId = this.deps.ids.requestId();
      base.accountId = service;
      base.sharedEventId = this.deps.ids.requestId();
      await this.deps.audit.record(base);
      return;
    }
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

// Canonicalization options shared by every request (read only).

/**
 * A decision as another account sees it (a foreign service's answer, another account's trail): the
 * effect and the resource policy's statements only. No caller text, nor which of the client's layers
 * denied or which condition keys its policies wanted: those describe the client's policies.
 */
function ownersView(view: ActionDecisionView): ActionDecisionView {
  const { message: _message, deniedBy: _deniedBy, missingContextKeys: _missing, ...rest } = view;
  return { ...rest, decidedBy: view.decidedBy.filter((s) => s.policyKind === 'resource') };
}

/** The principal as a foreign service sees it: without its session's tags (the client account's data). */
function foreignView(principal: Principal): Principal {
  if (principal.session?.tags === undefined) return principal;
  const { tags: _tags, ...session } = principal.session;
  return { ...principal, session };
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
