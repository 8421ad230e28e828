/**
 * The in-process check: the same verification and policy evaluation Castellan does, run inside the
 * service from a cache of principal snapshots fetched from Castellan. The first request of a key
 * (or of a new signing day, region or service) is a round trip that brings the snapshot back; later
 * ones are decided locally. A principal of another account than the service's gets no snapshot:
 * each of its requests is a round trip. Every locally decided request is then sent to Castellan behind the
 * client's back ("write-behind"), which verifies and decides it again and records its data event,
 * so the trail stays Castellan's; those calls also refresh the snapshots they find stale.
 *
 * @module
 */
import { accessDeniedMessage, compilePolicy, evaluate, parsePolicy, preparePolicySet, type AuthzRequest, type StatementRef, type CompiledPolicy, type PolicyKind, type PreparedPolicySet, type RequestPrincipal } from '@castellan/policy';
import {
  authenticationView,
  AwsError,
  buildConditionContext,
  canonicalOptionsFor,
  checkRequestTime,
  credentialFacts,
  credentialScope,
  declaredPayload,
  forwardedSignatureMatches,
  forwardedSigV4Request,
  HmacSha256Key,
  optionalConstantTimeEquals,
  parseSignature,
  refusedServiceAction,
  refusedServiceConditionKey,
  refusedServiceEvent,
  type AuthenticationFacts,
  type ParsedSignature,
  type Principal,
} from '@castellan/server/service-kit';
import { CastellanCallError, type CastellanAuthorizer } from './castellan-authorizer.js';
import type { ActionDecision, AuthorizationAnswer, AuthorizationQuestion, PrincipalSnapshot, RequestAuthorizer, SnapshotPolicy } from './types.js';

/** Settings of {@link InProcessAuthorizer}. */
export interface InProcessAuthorizerOptions {
  /** The round trip, used to fetch snapshots and for the write-behind audit. */
  castellan: CastellanAuthorizer;
  /** A snapshot older than this is refreshed by the next write-behind call of its key. Default is `30_000`. */
  refreshAfterMs?: number;
  /** Snapshots kept. Default is `10_000`. */
  maxPrincipals?: number;
  /**
   * `write-behind` (default): each locally decided request is sent to Castellan afterwards, which
   * records its data event. `off`: nothing is sent (benchmarks of the check alone).
   */
  audit?: 'write-behind' | 'off';
  /** Requests waiting to be sent; past it new ones are dropped and counted in `droppedAuditEvents`. Default is `10_000`. */
  maxPendingAudit?: number;
  /** Allowed clock skew of header-signed requests. Default is 15 minutes. */
  maxSkewMs?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** A cached snapshot with its compiled policies. */
interface Entry {
  snapshot: PrincipalSnapshot;
  /** The snapshot's signing key, prepared for HMAC. */
  signingKey: HmacSha256Key;
  fetchedAt: number;
  layers: { identity: CompiledPolicy[]; boundary?: CompiledPolicy[]; session?: CompiledPolicy[] };
  /** Prepared sets by resource policy text ('' for none). */
  prepared: Map<string, PreparedPolicySet>;
  principal: RequestPrincipal;
  facts: AuthenticationFacts;
  /** The session token the snapshot was fetched with (a key's requests must all present it). */
  sessionToken: string | undefined;
  /** The global keys that do not change from request to request (principal, session), and its tags. */
  baseContext: Record<string, string | string[]>;
  /**
   * The last full context built without service condition keys, and what it was built from: the
   * next request of the same client, address, second and region reuses it (the engine only reads it).
   */
  lastContext?: { sourceIp: string; userAgent: string; secure: boolean; second: number; region: string; context: AuthzRequest['context'] };
}

/** Keys of the global context that {@link Entry.baseContext} does not fix: set per request. */
const PER_REQUEST_KEYS = ['aws:SourceIp', 'aws:UserAgent', 'aws:SecureTransport', 'aws:CurrentTime', 'aws:EpochTime', 'aws:RequestedRegion', 'aws:MultiFactorAuthAge'];

// Options objects shared by every request (none of their readers keeps or changes them).
const S3_PAYLOAD = Object.freeze({ s3: true });
const OTHER_PAYLOAD = Object.freeze({ s3: false });

const ENGINE_TYPES: ReadonlySet<string> = new Set(['Root', 'IAMUser', 'AssumedRole', 'FederatedUser', 'WebIdentityUser', 'AWSService']);
const MAX_PREPARED_PER_PRINCIPAL = 64;

const DENY_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';

function compile(list: SnapshotPolicy[], kind: PolicyKind): CompiledPolicy[] {
  return list.map((p) => {
    // A document that no longer parses denies everything (fail closed), as the server does.
    let parsed = parsePolicy(p.document, { kind });
    if (!parsed.ok) parsed = parsePolicy(DENY_ALL, { kind: 'identity' });
    if (!parsed.ok) throw new Error('the deny-all policy does not parse');
    return compilePolicy(parsed.policy, { policyId: p.policyId, name: p.name, kind });
  });
}

/**
 * The engine's view of a principal, as the server's authorizer builds it. The federating IAM user's
 * ARN is the snapshot's (its current one), never the session's issuer ARN, which a rename leaves behind.
 */
function enginePrincipal(p: Principal, tags: Record<string, string>, federatingUserArn: string | undefined): RequestPrincipal {
  return {
    arn: p.arn,
    accountId: p.accountId,
    id: p.principalId,
    ...(ENGINE_TYPES.has(p.type) ? { type: p.type as RequestPrincipal['type'] & string } : {}),
    ...(p.type === 'IAMUser' && p.userName ? { userName: p.userName } : {}),
    ...(p.session?.issuerType === 'Role' ? { roleArn: p.session.issuerArn } : {}),
    ...(p.type === 'FederatedUser' && federatingUserArn !== undefined ? { federatingUserArn } : {}),
    tags,
  } as RequestPrincipal;
}

/**
 * Decides requests in process; see the module comment.
 *
 * @example
 * ```ts
 * const local = new InProcessAuthorizer({ castellan: new CastellanAuthorizer({ endpoint, service: 's3', credentials }) });
 * const answer = await local.authorize(question);
 * ```
 */
export class InProcessAuthorizer implements RequestAuthorizer {
  readonly #castellan: CastellanAuthorizer;
  readonly #entries = new Map<string, Entry>();
  readonly #refreshAfterMs: number;
  readonly #max: number;
  readonly #audit: 'write-behind' | 'off';
  readonly #maxPending: number;
  readonly #maxSkewMs: number | undefined;
  readonly #now: () => Date;
  readonly #resourcePolicies = new Map<string, CompiledPolicy>();
  #pending: AuthorizationQuestion[] = [];
  #lastKey = { accessKeyId: '', scopeDate: '', region: '', service: '', key: '' };
  #second = -1;
  #secondText: [string, string] = ['', ''];
  #flushing: Promise<void> | undefined;
  /** Locally decided requests that could not be queued for the audit (the queue was full). */
  droppedAuditEvents = 0;
  /** Requests decided locally, and by a round trip. */
  readonly stats = { local: 0, roundTrips: 0 };

  constructor(options: InProcessAuthorizerOptions) {
    this.#castellan = options.castellan;
    this.#refreshAfterMs = options.refreshAfterMs ?? 30_000;
    this.#max = options.maxPrincipals ?? 10_000;
    this.#audit = options.audit ?? 'write-behind';
    this.#maxPending = options.maxPendingAudit ?? 10_000;
    this.#maxSkewMs = options.maxSkewMs;
    this.#now = options.now ?? systemClock();
  }

  /** The number of principals cached. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Throws {@link CastellanCallError} `ValidationException` for a question Castellan refuses, as
   * the round trip does: a condition key the service may not supply, an action of another service,
   * an event under another service's event source.
   */
  async authorize(question: AuthorizationQuestion): Promise<AuthorizationAnswer> {
    const service = this.#castellan.service;
    if (question.conditionKeys !== undefined) {
      const refused = refusedServiceConditionKey(Object.keys(question.conditionKeys));
      if (refused !== undefined) throw new CastellanCallError('ValidationException', refused, 400);
    }
    const action = refusedServiceAction(question.authorizations.map((a) => a.action), service);
    if (action !== undefined) throw new CastellanCallError('ValidationException', action, 400);
    if (question.event) {
      const refused = refusedServiceEvent(question.event, service);
      if (refused !== undefined) throw new CastellanCallError('ValidationException', refused, 400);
    }
    const now = this.#now();
    const req = forwardedSigV4Request(question.request);
    let sig: ParsedSignature;
    try {
      sig = parseSignature(req);
    } catch (err) {
      if (err instanceof AwsError) return { authenticated: false, error: { code: err.code, message: err.message } };
      throw err;
    }
    const cacheKey = this.cacheKey(sig);
    const entry = this.#entries.get(cacheKey);
    if (!entry || !optionalConstantTimeEquals(entry.sessionToken, sig.sessionToken) || entry.snapshot.validUntil.getTime() <= now.getTime()) return this.roundTrip(question, cacheKey);
    const answer = this.decideLocally(question, req, sig, entry, now);
    this.stats.local++;
    if (answer.authenticated && this.#audit === 'write-behind') this.enqueue(question);
    return answer;
  }

  /**
   * The entry's key: access key and scope. A client's requests repeat them, so the last key is
   * reused while they do (the same string, whose hash the map has already computed).
   */
  private cacheKey(sig: ParsedSignature): string {
    const last = this.#lastKey;
    if (sig.accessKeyId === last.accessKeyId && sig.scopeDate === last.scopeDate && sig.region === last.region && sig.service === last.service) return last.key;
    const key = `${sig.accessKeyId}\n${sig.scopeDate}/${sig.region}/${sig.service}`;
    this.#lastKey = { accessKeyId: sig.accessKeyId, scopeDate: sig.scopeDate, region: sig.region, service: sig.service, key };
    return key;
  }

  /** Sends what is queued for the audit now (and waits); call before shutting down. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0 || this.#flushing) {
      if (this.#flushing) await this.#flushing;
      else this.startFlush();
    }
  }

  /** Forgets every snapshot (they are fetched again on next use). */
  clear(): void {
    this.#entries.clear();
  }

  private async roundTrip(question: AuthorizationQuestion, cacheKey: string): Promise<AuthorizationAnswer> {
    this.stats.roundTrips++;
    const answer = await this.#castellan.ask(question, true);
    if (answer.authenticated && answer.snapshot) this.remember(cacheKey, answer.snapshot, question.request.headers['x-amz-security-token'] ?? tokenOf(question.request.query));
    if (!answer.authenticated) this.#entries.delete(cacheKey);
    if (answer.authenticated) {
      const { snapshot: _snapshot, ...rest } = answer;
      return rest;
    }
    return answer;
  }

  private remember(cacheKey: string, snapshot: PrincipalSnapshot, sessionToken: string | undefined): void {
    if (!this.#entries.has(cacheKey) && this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    const p = snapshot.policies;
    const facts: AuthenticationFacts = { method: 'sigv4-header', accessKeyId: snapshot.accessKeyId, ...credentialFacts(snapshot.principal) };
    const baseContext: Record<string, string | string[]> = buildConditionContext(
      { requestId: '', now: new Date(0), caller: snapshot.principal, sourceIp: '', userAgent: '', region: snapshot.scope.region },
      facts,
      { secureTransport: false },
    );
    for (const key of PER_REQUEST_KEYS) delete baseContext[key];
    for (const [k, v] of Object.entries(snapshot.tags)) baseContext[`aws:PrincipalTag/${k}`] ??= v;
    this.#entries.set(cacheKey, {
      sessionToken: sessionToken || undefined,
      baseContext,
      snapshot,
      signingKey: new HmacSha256Key(Buffer.from(snapshot.signingKey, 'hex')),
      fetchedAt: this.#now().getTime(),
      layers: {
        identity: compile(p.identity, 'identity'),
        ...(p.boundary ? { boundary: compile(p.boundary, 'boundary') } : {}),
        ...(p.session ? { session: compile(p.session, 'session') } : {}),
      },
      prepared: new Map(),
      principal: enginePrincipal(snapshot.principal, snapshot.tags, snapshot.federatingUserArn),
      facts,
    });
  }

  private decideLocally(q: AuthorizationQuestion, req: ReturnType<typeof forwardedSigV4Request>, sig: ParsedSignature, entry: Entry, now: Date): AuthorizationAnswer {
    const service = this.#castellan.service;
    const s3 = service === 's3';
    let payload;
    try {
      if (sig.service !== service) return unauthenticated('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'. `);
      checkRequestTime(sig, now, this.#maxSkewMs);
      payload = declaredPayload(req, sig, q.bodySha256 ? { s3, bodySha256: q.bodySha256 } : s3 ? S3_PAYLOAD : OTHER_PAYLOAD);
    } catch (err) {
      if (err instanceof AwsError) return { authenticated: false, error: { code: err.code, message: err.message } };
      throw err;
    }
    const session = entry.snapshot.principal.session;
    if (session && session.expiresAt.getTime() <= now.getTime()) return unauthenticated('ExpiredToken', 'The security token included in the request is expired');
    if (!forwardedSignatureMatches(req, sig, payload.hash, entry.signingKey, canonicalOptionsFor(service))) {
      return unauthenticated('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    }
    const principal = entry.snapshot.principal;
    const facts = entry.facts;
    // The same keys `buildConditionContext` gives (and so the server): the fixed ones from the
    // entry, those that change with each request here.
    const userAgent = req.header('user-agent') ?? '';
    const secure = q.secureTransport === true;
    const second = Math.floor(now.getTime() / 1000);
    const last = entry.lastContext;
    // A key's MultiFactorAuthAge does not follow the clock's seconds: an MFA session builds its own.
    const reusable = (q.conditionKeys === undefined || Object.keys(q.conditionKeys).length === 0) && !facts.mfaAuthenticatedAt;
    let context: AuthzRequest['context'];
    if (reusable && last && last.second === second && last.sourceIp === q.sourceIp && last.userAgent === userAgent && last.secure === secure && last.region === sig.region) {
      context = last.context;
    } else {
      context = { ...q.conditionKeys, ...entry.baseContext };
      context['aws:SourceIp'] = q.sourceIp;
      context['aws:UserAgent'] = userAgent;
      context['aws:SecureTransport'] = secure ? 'true' : 'false';
      if (second !== this.#second) {
        this.#second = second;
        this.#secondText = [new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'), String(second)];
      }
      context['aws:CurrentTime'] = this.#secondText[0];
      context['aws:EpochTime'] = this.#secondText[1];
      context['aws:RequestedRegion'] = sig.region;
      if (facts.mfaAuthenticatedAt) context['aws:MultiFactorAuthAge'] = String(Math.max(0, Math.floor((now.getTime() - facts.mfaAuthenticatedAt.getTime()) / 1000)));
      if (reusable) entry.lastContext = { sourceIp: q.sourceIp, userAgent, secure, second, region: sig.region, context };
    }
    const set = this.prepared(entry, q.resourcePolicy);
    const decisions: ActionDecision[] = [];
    let allowed = true;
    for (const a of q.authorizations) {
      const authz: AuthzRequest = a.resourceAccount
        ? { principal: entry.principal, action: a.action, resource: a.resource, context, now, resourceAccount: a.resourceAccount }
        : { principal: entry.principal, action: a.action, resource: a.resource, context, now };
      const decision = evaluate(authz, set);
      // Members set one by one in the answer's order (spreads of conditional objects allocate twice).
      const view: ActionDecision = { action: a.action, resource: a.resource, effect: decision.effect, decidedBy: decision.decidedBy.map(statementView) };
      if (decision.reason.kind !== 'allowed') view.deniedBy = decision.reason.layer;
      if (decision.missingContextKeys.length > 0) view.missingContextKeys = [...decision.missingContextKeys];
      if (decision.effect !== 'allow') {
        view.message = accessDeniedMessage(authz, decision);
        allowed = false;
      }
      decisions.push(view);
    }
    const authentication = authenticationView(sig, facts);
    const answer: AuthorizationAnswer = { authenticated: true, principal, authentication, decisions, allowed, payload: payload.declaration };
    if (payload.declaration.kind === 'streaming-signed') {
      answer.streaming = { signingKey: entry.snapshot.signingKey, seedSignature: sig.signature, amzDate: sig.amzDate, scope: credentialScope(sig) };
    }
    return answer;
  }

  private prepared(entry: Entry, resourcePolicy: AuthorizationQuestion['resourcePolicy']): PreparedPolicySet {
    const key = resourcePolicy?.document ?? '';
    let set = entry.prepared.get(key);
    if (!set) {
      const resource = resourcePolicy ? [this.resourcePolicy(resourcePolicy.document, resourcePolicy.policyId ?? 'resource-policy')] : undefined;
      set = preparePolicySet({ ...entry.layers, ...(resource ? { resource } : {}) });
      if (entry.prepared.size >= MAX_PREPARED_PER_PRINCIPAL) entry.prepared.clear();
      entry.prepared.set(key, set);
    }
    return set;
  }

  private resourcePolicy(document: string, policyId: string): CompiledPolicy {
    const key = `${policyId}\n${document}`;
    let hit = this.#resourcePolicies.get(key);
    if (!hit) {
      hit = compile([{ policyId, name: 'ResourcePolicy', document }], 'resource')[0]!;
      if (this.#resourcePolicies.size >= 1000) this.#resourcePolicies.clear();
      this.#resourcePolicies.set(key, hit);
    }
    return hit;
  }

  private enqueue(question: AuthorizationQuestion): void {
    if (this.#pending.length >= this.#maxPending) {
      this.droppedAuditEvents++;
      return;
    }
    this.#pending.push(question);
    if (!this.#flushing) this.startFlush();
  }

  private startFlush(): void {
    this.#flushing = (async () => {
      try {
        while (this.#pending.length > 0) {
          const batch = this.#pending.splice(0, 16);
          await Promise.all(batch.map((q) => this.sendBehind(q)));
        }
      } finally {
        this.#flushing = undefined;
      }
    })();
  }

  /** Castellan verifies, decides and records the request; a stale snapshot is refreshed on the way. */
  private async sendBehind(question: AuthorizationQuestion): Promise<void> {
    let sig: ParsedSignature;
    try {
      sig = parseSignature(forwardedSigV4Request(question.request));
    } catch {
      return;
    }
    const cacheKey = this.cacheKey(sig);
    const entry = this.#entries.get(cacheKey);
    const stale = entry !== undefined && this.#now().getTime() - entry.fetchedAt > this.#refreshAfterMs;
    try {
      const answer = await this.#castellan.ask(question, stale);
      if (answer.authenticated && answer.snapshot) this.remember(cacheKey, answer.snapshot, sig.sessionToken);
      if (!answer.authenticated) this.#entries.delete(cacheKey);
    } catch {
      // Castellan unreachable: the event is lost, and counted.
      this.droppedAuditEvents++;
    }
  }
}

/**
 * The system clock as a `Date` per millisecond: checks at a high rate share one (the engine and the
 * time check only read it; no answer carries it) instead of allocating one each.
 */
function systemClock(): () => Date {
  let last = new Date();
  return () => {
    const ms = Date.now();
    if (ms !== last.getTime()) last = new Date(ms);
    return last;
  };
}

/** Views of compiled statements (which live as long as their policy), built once each and shared frozen. */
const STATEMENT_VIEWS = new WeakMap<StatementRef, ActionDecision['decidedBy'][number]>();

function statementView(s: StatementRef): ActionDecision['decidedBy'][number] {
  let view = STATEMENT_VIEWS.get(s);
  if (!view) {
    view = Object.freeze({ policyId: s.policyId, ...(s.policyName !== undefined ? { policyName: s.policyName } : {}), policyKind: s.policyKind, statementIndex: s.statementIndex, ...(s.sid ? { sid: s.sid } : {}), effect: s.effect });
    STATEMENT_VIEWS.set(s, view);
  }
  return view;
}

function unauthenticated(code: string, message: string): AuthorizationAnswer {
  return { authenticated: false, error: { code, message } };
}

/** The session token of a presigned URL. */
function tokenOf(query: string): string | undefined {
  if (!query.includes('X-Amz-Security-Token')) return undefined;
  return new URLSearchParams(query).get('X-Amz-Security-Token') ?? undefined;
}
