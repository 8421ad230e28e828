import type { Logger } from 'pino';
import type { AwsErrorCode } from '../domain/aws-error-code.js';
import type { Clock, Ids, Principal, RequestContext } from '../domain/context.js';
import { denialError } from '../domain/denial-error.js';
import { recordableAccessKeyId, unrecordedAccessKeyId } from '../domain/recordable-access-key-id.js';
import { arnAccountId } from '../domain/arn.js';
import { type AccessDeniedError, AwsError, MissingAuthenticationTokenError, NotImplementedError } from '../domain/errors.js';
import { awsErrorOf, isStoreUnavailable } from './aws-error-of.js';
import type { Authentication, AuthenticationClaim, Authenticator } from '../domain/ports/authenticator.js';
import type { AuthorizationDecision, Authorizer } from '../domain/ports/authorizer.js';
import { jsonTextWithin } from '../audit/bounded-event.js';
import { HIDDEN, scrubSecretValues } from '../audit/redact.js';
import type { AuditEvent, AuditLog } from './audit-log.js';
import { buildConditionContext } from './condition-context.js';
import { decisionRecord, DECISION_EVENT_DATA_KEY, ownersViewOfDecision } from './decision-record.js';
import type { OperationRegistry } from './operation-registry.js';
import type { OperationSpec } from './operation-spec.js';
import type { PipelineCall, PipelineOutcome } from './pipeline-call.js';
import { servedRegion, type PipelineService } from './pipeline-service.js';
import type { TransactionRunner } from './transaction-runner.js';

export type { PipelineCall, PipelineOutcome } from './pipeline-call.js';
export { SERVICE_FAILURE_MESSAGE, SERVICE_UNAVAILABLE_MESSAGE } from './aws-error-of.js';

/** Everything the pipeline needs, passed in by the composition root. */
export interface PipelineDeps<D> {
  /** Asked in order; the first that recognizes a request authenticates it. */
  authenticators: readonly Authenticator[];
  authorizer: Authorizer;
  transactions: TransactionRunner<D>;
  audit: AuditLog<D>;
  operations: OperationRegistry<D>;
  /** Given to read-only operations; mutations get the transaction-bound value from `transactions`. */
  operationDeps: D;
  clock: Clock;
  ids: Ids;
  /** The region of requests whose signature cannot be read (recorded in their audit event). Default is `us-east-1`. */
  defaultRegion?: string;
  /** The account that receives audit events of failed authentication when the key's account is unknown. */
  defaultAccountId: string;
  logger?: Logger;
}

/**
 * authenticate -> decode -> authorize -> execute -> audit. Every call, including failed
 * authentication and bad input, produces exactly one audit event (a successful read whose
 * `execute` recorded its own, `OperationSpec.recordedByExecute`, that one). Errors that are not
 * `AwsError` are logged with the request id and become `ServiceUnavailable` (the store is
 * unavailable) or `ServiceFailure` (`aws-error-of.ts`), their message never sent.
 *
 * The pipeline knows no wire protocol and no way of authenticating: protocol adapters hand it a
 * {@link PipelineCall}, and it asks the {@link Authenticator}s it was given who is calling.
 */
export class RequestPipeline<D> {
  constructor(private readonly deps: PipelineDeps<D>) {}

  /** Runs one call to completion; never throws. */
  async run(call: PipelineCall): Promise<PipelineOutcome> {
    const { deps } = this;
    const requestId = deps.ids.requestId();
    const now = deps.clock.now();
    // The hint is client-supplied: only a plausible operation name reaches the audit trail.
    const hint = call.operationHint && /^[A-Za-z0-9]{1,128}$/.test(call.operationHint) ? call.operationHint : undefined;
    const state: CallState = { requestId, now, service: call.fallbackService, region: this.defaultRegion, operation: hint };
    try {
      const signed = await this.authenticate(call, state);
      let { principal: caller, facts } = signed;
      const unsigned = facts.method === 'unsigned';
      if (!unsigned) state.caller = caller;
      if (facts.method === 'console-session' && facts.tokenIssuedAt) state.consoleSignedInAt = facts.tokenIssuedAt;
      const service = call.services.find((s) => s.name === facts.scope?.service) ?? call.fallbackService;
      state.service = service;
      // A global service (IAM) is served from us-east-1 (aws:RequestedRegion, last-accessed data)
      // whatever region its signature names, and without one (the console's cookie sessions); a
      // regional service's is the signature's region, or without a scope the one the request claimed
      // (the deployment's by default).
      const region = servedRegion(service, facts.scope?.region ?? state.region);

      // An unsigned request is read no further than its operation's name unless that operation
      // takes a token as its proof: nobody learns more from it than without the pipeline.
      if (unsigned && !(state.operation && deps.operations.get(service.name, state.operation)?.tokenAuthentication)) {
        throw new MissingAuthenticationTokenError('Request is missing Authentication Token');
      }
      let ctx: RequestContext = { requestId, now, caller, sourceIp: call.sourceIp, userAgent: call.userAgent, region };
      const { operation, input } = call.decode(service.name, (op, received) => {
        state.operation = op;
        state.input = received;
      });
      state.operation = operation;
      state.input = input;
      const spec = deps.operations.get(service.name, operation);
      if (unsigned && !spec?.tokenAuthentication) throw new MissingAuthenticationTokenError('Request is missing Authentication Token');
      if (!spec) {
        throw new NotImplementedError(`Castellan does not implement the ${service.title} operation ${operation} yet.`);
      }
      state.readOnly = spec.readOnly;
      if (spec.recordedResources) state.recordedResources = spec.recordedResources(input);
      if (spec.tokenAuthentication) {
        // The token in the input, not the request's signature (if any), says who is calling.
        delete state.caller;
        delete state.consoleSignedInAt;
        const accountId = spec.tokenAuthentication.accountId(input);
        if (accountId !== undefined) state.accountId = accountId;
        ({ principal: caller, facts } = await spec.tokenAuthentication.authenticate(input, ctx, deps.operationDeps));
        state.caller = caller;
        ctx = { ...ctx, caller };
      }
      if (spec.auditedAs) await this.auditAs(spec, input, ctx, state);
      const extras = spec.recordedRequestExtras?.(input, ctx);
      if (extras) state.input = { ...state.input, ...extras };
      if (!spec.skipAuthorization) {
        const conditionKeys = buildConditionContext(ctx, facts, { secureTransport: call.secureTransport });
        // A copy: authorize adds the operation's own keys to these in place.
        if (spec.readsConditionKeys) ctx = { ...ctx, conditionKeys: Object.freeze({ ...conditionKeys }) };
        const denied = await this.authorize(spec, input, ctx, conditionKeys, state);
        if (denied) return await this.failed(denied, state, call);
      }
      const output = await this.execute(spec, input, ctx, state, call);
      return { ok: true, requestId, service: service.name, operation, output };
    } catch (err) {
      return this.failed(this.toAwsError(err, state), state, call);
    }
  }

  /** The outcome of a call that ends in `error`, its audit event recorded unless it already was. */
  private async failed(error: AwsError, state: CallState, call: PipelineCall): Promise<PipelineOutcome> {
    if (!state.audited) await this.recordAllSafely(this.events(state, call, { error }));
    return { ok: false, requestId: state.requestId, service: state.service.name, ...(state.operation ? { operation: state.operation } : {}), error };
  }

  /**
   * Records a request refused before it could be read (a body over the size limit, an address over
   * its rate): it gets an audit event like any other, with no identity and no parameters. Returns its request id.
   */
  async recordUnreadable(info: { service: PipelineService; sourceIp: string; userAgent: string; error: AwsError; recordedErrorCode: PipelineCall['recordedErrorCode'] }): Promise<string> {
    const requestId = this.deps.ids.requestId();
    const state: CallState = { requestId, now: this.deps.clock.now(), service: info.service, region: this.defaultRegion, operation: undefined };
    await this.recordSafely(this.event(state, info, { error: info.error }));
    return requestId;
  }

  private get defaultRegion(): string {
    return this.deps.defaultRegion ?? 'us-east-1';
  }

  /**
   * Asks the first authenticator that recognizes the request; what the request claims is kept for the
   * audit event. Not async itself (the authenticator's promise is handed on, not wrapped in another):
   * `run` awaits it inside its try, which catches a throw here as it would a rejection.
   */
  private authenticate(call: PipelineCall, state: CallState): Promise<Authentication> {
    const authenticator = this.deps.authenticators.find((a) => a.recognizes(call.request, call.secureTransport));
    if (!authenticator) throw new MissingAuthenticationTokenError('Request is missing Authentication Token');
    return authenticator.authenticate({
      request: call.request,
      now: state.now,
      services: serviceNames(call.services),
      defaultService: call.fallbackService.name,
      requiredSignedHeaders: call.requiredSignedHeaders ?? [],
      secureTransport: call.secureTransport,
      claim: (claim: AuthenticationClaim) => {
        if (claim.region !== undefined) state.region = claim.region;
        if (claim.accessKeyId !== undefined) state.claimedAccessKeyId = claim.accessKeyId;
        if (claim.knownAccessKey) state.knownAccessKey = true;
        if (claim.accountId !== undefined) state.accountId = claim.accountId;
        const service = claim.service === undefined ? undefined : call.services.find((s) => s.name === claim.service);
        if (service) state.service = service;
      },
    });
  }

  /**
   * Decides the operation's action on its resource (and on any further resources it names). The
   * decision that settles the call is kept for the audit event; a denial becomes AWS's
   * `AccessDenied` here and nowhere else, returned rather than thrown (a refusal is an expected
   * outcome: a rejection through the pipeline's async steps cost it measurably more).
   */
  private async authorize(spec: OperationSpec<unknown, unknown, D>, input: unknown, ctx: RequestContext, globalKeys: Record<string, string | string[]>, state: CallState): Promise<AccessDeniedError | undefined> {
    const deps = this.deps.operationDeps;
    // The global keys were built for this call alone: the operation's keys are added to them in place.
    // An absent or synchronous hook's answer is not awaited: each await is a trip through the microtask queue.
    // Dependent actions are on another resource: they get the request's global keys and their own,
    // never the operation's resource keys (the profile's tags must not stand in for the role's).
    const requestKeys = spec.dependentAuthorizations ? { ...globalKeys } : undefined;
    const keys = spec.conditionKeys?.(input, ctx, deps);
    const context = Object.assign(globalKeys, keys instanceof Promise ? await keys : keys);
    const account = spec.resourceAccount?.(input, ctx, deps);
    const resourceAccount = account instanceof Promise ? await account : account;
    const named = spec.resource(input, ctx, deps);
    const resource = named instanceof Promise ? await named : named;
    const policy = spec.resourcePolicy?.(input, ctx, deps);
    const resourcePolicy = policy instanceof Promise ? await policy : policy;
    const action = spec.action ?? `${spec.service}:${spec.name}`;
    const common = { resource, ...(resourceAccount ? { resourceAccount } : {}), ...(resourcePolicy ? { resourcePolicy } : {}), context };
    // A call that reaches an existing resource of another account (its policy was found: a role's
    // trust policy for a cross-account AssumeRole) is recorded in that account's trail too.
    const owner = resourceAccount ?? arnAccountId(resource);
    if (resourcePolicy && owner && owner !== ctx.caller.accountId) state.sharedWith = owner;
    let denied = this.decided(state, await this.deps.authorizer.authorize(ctx, { action, ...common }), spec.allowedUnlessDenied);
    if (denied) return denied;
    const alsoOn = spec.alsoAuthorizedOn?.(input, ctx, deps);
    for (const also of (alsoOn instanceof Promise ? await alsoOn : alsoOn) ?? []) {
      if (also !== resource && (denied = this.decided(state, await this.deps.authorizer.authorize(ctx, { action, resource: also, context })))) return denied;
    }
    for (const alsoAction of spec.alsoAuthorizedActions?.(input, ctx, deps) ?? []) {
      if ((denied = this.decided(state, await this.deps.authorizer.authorize(ctx, { action: alsoAction, ...common })))) return denied;
    }
    const dependent = spec.dependentAuthorizations?.(input, ctx, deps);
    for (const d of (dependent instanceof Promise ? await dependent : dependent) ?? []) {
      if ((denied = this.decided(state, await this.deps.authorizer.authorize(ctx, { action: d.action, resource: d.resource, context: { ...requestKeys, ...d.context } })))) return denied;
    }
    return undefined;
  }

  /** Switches the call's audit event to the service, name and parameters the operation is recorded as. */
  private async auditAs(spec: OperationSpec<unknown, unknown, D>, input: unknown, ctx: RequestContext, state: CallState): Promise<void> {
    const as = spec.auditedAs!;
    state.service = as.service;
    state.operation = as.eventName;
    if (as.response) state.auditResponse = as.response;
    if (as.errorCode) state.auditErrorCode = as.errorCode;
    if (as.request) state.input = await as.request(input, ctx, this.deps.operationDeps);
    if (as.resources) state.recordedResources = await as.resources(input, ctx, this.deps.operationDeps);
  }

  /** Keeps the decision for the audit event; a denial's error, or undefined. */
  private decided(state: CallState, answer: AuthorizationDecision, unlessDenied?: boolean): AccessDeniedError | undefined {
    if (unlessDenied && answer.decision.effect === 'implicitDeny') {
      state.decision = answer;
      state.allowedByDefault = true;
      return undefined;
    }
    // The first decision explains an allowed call; a later denial replaces it.
    if (!state.decision || answer.decision.effect !== 'allow') state.decision = answer;
    return answer.decision.effect !== 'allow' ? denialError(answer) : undefined;
  }

  private async execute(spec: OperationSpec<unknown, unknown, D>, input: unknown, ctx: RequestContext, state: CallState, call: PipelineCall): Promise<unknown> {
    const { deps } = this;
    if (spec.readOnly) {
      const output = await spec.execute(input, ctx, deps.operationDeps);
      // The events are built before the call counts as audited: if building them throws, the
      // failure's own event is recorded instead of none.
      const events = spec.recordedByExecute?.(input, output) ? undefined : this.events(state, call, { output });
      state.audited = true;
      if (events) await this.recordAllSafely(events);
      return output;
    }
    const output = await deps.transactions.run(async (txDeps) => {
      const out = await spec.execute(input, ctx, txDeps);
      for (const event of this.events(state, call, { output: out })) await deps.audit.recordInTransaction(event, txDeps);
      return out;
    });
    state.audited = true;
    return output;
  }

  private toAwsError(err: unknown, state: CallState): AwsError {
    if (err instanceof AwsError) return err;
    this.deps.logger?.error({ err, requestId: state.requestId, service: state.service.name, operation: state.operation }, isStoreUnavailable(err) ? 'the store is unavailable' : 'unexpected failure');
    return awsErrorOf(err);
  }

  private event(state: CallState, call: Pick<PipelineCall, 'sourceIp' | 'userAgent' | 'recordedErrorCode'>, result: { output?: unknown; error?: AwsError }): AuditEvent {
    const event: AuditEvent = {
      eventId: this.deps.ids.requestId(),
      requestId: state.requestId,
      eventTime: state.now,
      service: state.service.name,
      eventSource: state.service.eventSource,
      eventName: state.operation ?? 'Unknown',
      region: state.region,
      global: state.service.global,
      sourceIp: call.sourceIp,
      userAgent: call.userAgent,
      accountId: state.caller?.accountId ?? state.accountId ?? this.deps.defaultAccountId,
      readOnly: this.readOnly(state),
    };
    if (state.caller) {
      event.caller = state.caller;
      if (state.consoleSignedInAt) event.consoleSession = { signedInAt: state.consoleSignedInAt };
    }
    else if (state.claimedAccessKeyId) event.claimedAccessKeyId = recordableAccessKeyId(state.claimedAccessKeyId, state.knownAccessKey === true);
    // A refused call's input is bounded only by the body limit: past MAX_AUDITED_REFUSED_INPUT it is
    // left out, so one caller cannot bloat the trail (valid input is bounded by the model). So is a
    // call allowed by default (castellan:GetCallerPermissions): any caller, even one no policy
    // grants anything, may make it, so its input is bounded as a refused call's is.
    if (state.input && ((!result.error && !state.allowedByDefault) || jsonTextWithin(state.input, MAX_AUDITED_REFUSED_INPUT))) event.request = state.input;
    if (result.output && typeof result.output === 'object') event.response = state.auditResponse ? state.auditResponse(result.output) : (result.output as Record<string, unknown>);
    if (result.error) event.error = { code: (state.auditErrorCode ?? call.recordedErrorCode)(result.error.code), message: capMessage(this.scrubbed(result.error.message, state)) };
    if (state.decision) event.additionalEventData = { [DECISION_EVENT_DATA_KEY]: decisionRecord(state.decision, state.allowedByDefault) };
    if (state.recordedResources && state.recordedResources.length > 0) event.resources = state.recordedResources;
    return event;
  }

  /**
   * Whether the call's event is a read's. A call refused before its operation's spec was consulted
   * (the model's validation rejected its input, its signature failed) is still that operation's, so
   * its spec says, as it does for the same call succeeding or denied. Only a name Castellan does not
   * implement falls back to a guess from the name.
   */
  private readOnly(state: CallState): boolean {
    if (state.readOnly !== undefined) return state.readOnly;
    const operation = state.operation ?? '';
    return this.deps.operations.get(state.service.name, operation)?.readOnly ?? /^(Get|List|Describe|Lookup|Simulate)/.test(operation);
  }

  /**
   * The call's event, and for a call that reached another account's resource a copy for that
   * account's trail, as CloudTrail delivers one action to two accounts: the same `sharedEventID`,
   * each with its own `eventID` and `recipientAccountId`.
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/shared-event-ID.html
   */
  private events(state: CallState, call: Pick<PipelineCall, 'sourceIp' | 'userAgent' | 'recordedErrorCode'>, result: { output?: unknown; error?: AwsError }): AuditEvent[] {
    const event = this.event(state, call, result);
    if (state.sharedWith === undefined || state.sharedWith === event.accountId) return [event];
    const sharedEventId = this.deps.ids.requestId();
    const copy: AuditEvent = { ...event, eventId: this.deps.ids.requestId(), accountId: state.sharedWith, sharedEventId };
    if (state.decision) copy.additionalEventData = { ...event.additionalEventData, [DECISION_EVENT_DATA_KEY]: ownersViewOfDecision(decisionRecord(state.decision, state.allowedByDefault)) };
    return [{ ...event, sharedEventId }, copy];
  }

  /** Not async itself: one event (nearly every call) goes to `recordSafely` without a further promise to settle. */
  private recordAllSafely(events: AuditEvent[]): Promise<void> {
    return events.length === 1 ? this.recordSafely(events[0]!) : this.recordEachSafely(events);
  }

  private async recordEachSafely(events: AuditEvent[]): Promise<void> {
    for (const event of events) await this.recordSafely(event);
  }

  /**
   * An error message without the secrets it may quote: the values of the input's secret members
   * (matched by name, whatever the model says) and a claimed key id the trail does not show. Runs on
   * the whole message and the whole input, before the message is cut and before a refused input is
   * bounded or left out, so no part of a secret survives at the cut. The signature a quoted malformed
   * Authorization header carries goes too: with the header corrected, a reader of the trail could
   * replay the request within its 15 minutes (the caller's own answer still quotes it, as AWS's does).
   */
  private scrubbed(message: string, state: CallState): string {
    let out = scrubSecretValues(message, state.input).replace(QUOTED_SIGNATURE, `$1${HIDDEN}`);
    const claimed = state.claimedAccessKeyId;
    if (claimed !== undefined && claimed.length >= MIN_SCRUBBED_KEY_ID && recordableAccessKeyId(claimed, state.knownAccessKey === true) !== claimed) {
      out = out.split(claimed).join(unrecordedAccessKeyId(claimed.length));
    }
    return out;
  }

  private async recordSafely(event: AuditEvent): Promise<void> {
    try {
      await this.deps.audit.record(event);
    } catch (err) {
      this.deps.logger?.error({ err, requestId: event.requestId }, 'audit record failed');
    }
  }
}

/** The names of a protocol's services, listed once per list (adapters keep theirs). */
const namesOfServices = new WeakMap<readonly PipelineService[], string[]>();

function serviceNames(services: readonly PipelineService[]): string[] {
  let names = namesOfServices.get(services);
  if (!names) {
    names = services.map((s) => s.name);
    namesOfServices.set(services, names);
  }
  return names;
}

/** What is known about a call so far, for its audit event. */
interface CallState {
  requestId: string;
  now: Date;
  service: PipelineService;
  region: string;
  operation?: string | undefined;
  input?: Record<string, unknown>;
  caller?: Principal;
  /** When the console session the call was made with was signed in to (a cookie call only). */
  consoleSignedInAt?: Date;
  /** As the request spelled it; the audit event gets `recordableAccessKeyId` of it. */
  claimedAccessKeyId?: string;
  knownAccessKey?: boolean;
  accountId?: string;
  readOnly?: boolean;
  decision?: AuthorizationDecision;
  /** The call was allowed although no statement allowed it (`OperationSpec.allowedUnlessDenied`). */
  allowedByDefault?: boolean;
  audited?: boolean;
  /** The other account whose resource the call reached: its trail gets a copy of the event. */
  sharedWith?: string;
  /** The operation's {@link OperationSpec.auditedAs} response mapping, once the operation is known. */
  auditResponse?: (output: unknown) => Record<string, unknown>;
  /** The operation's {@link OperationSpec.auditedAs} error spelling, once the operation is known. */
  auditErrorCode?: (code: AwsErrorCode) => string;
  /** The operation's {@link OperationSpec.recordedResources}, once its input is decoded. */
  recordedResources?: Array<{ type: string; arn: string; accountId?: string }>;
}

/**
 * The longest error message an audit event keeps. A validation error quotes the offending value, and
 * a caller must not be able to bloat every record of the trail with a megabyte of it.
 */
export const MAX_AUDITED_ERROR_MESSAGE = 1024;

/** Shorter claimed key ids are not looked for in messages (they could match the message's own words, and are no secret). */
const MIN_SCRUBBED_KEY_ID = 8;

/** `Signature=<value>` in a quoted Authorization header (a presigned URL's is a secret member already). */
const QUOTED_SIGNATURE = /(Signature=)[^\s,"]+/gi;

/** The largest refused (or allowed-by-default) input, as JSON characters, an audit event keeps as its request parameters. */
export const MAX_AUDITED_REFUSED_INPUT = 64 * 1024;

function capMessage(message: string): string {
  return message.length <= MAX_AUDITED_ERROR_MESSAGE ? message : `${message.slice(0, MAX_AUDITED_ERROR_MESSAGE)}… (truncated)`;
}
