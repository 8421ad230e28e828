import type { Logger } from 'pino';
import type { Clock, Ids, Principal, RequestContext } from '../domain/context.js';
import {
  ExpiredTokenError,
  IamError,
  InvalidClientTokenIdError,
  NotImplementedError,
  ServiceFailureError,
  SignatureDoesNotMatchError,
} from '../domain/errors.js';
import { parseSignature } from '../sigv4/parse-signature.js';
import { SigningKeyCache } from '../sigv4/signing-key-cache.js';
import type { ParsedSignature, SigV4Request } from '../sigv4/sigv4-request.js';
import { checkRequestTime, DEFAULT_MAX_SKEW_MS, verifySignature } from '../sigv4/verify-signature.js';
import type { AuditEvent, AuditLog } from './audit-log.js';
import type { Authorizer } from './authorizer.js';
import { buildConditionContext } from './condition-context.js';
import type { CredentialResolver } from './credential-resolver.js';
import type { OperationRegistry } from './operation-registry.js';
import type { OperationSpec, ServiceName } from './operation-spec.js';
import type { TransactionRunner } from './transaction-runner.js';

/** AWS's public message for an internal failure; the real cause is only logged. */
export const SERVICE_FAILURE_MESSAGE = 'The request processing has failed because of an unknown error, exception or failure.';

const SERVICE_TITLES: Record<ServiceName, string> = { iam: 'IAM', sts: 'STS', cloudtrail: 'CloudTrail' };

/** Everything the pipeline needs, passed in by the composition root. */
export interface PipelineDeps<D> {
  credentials: CredentialResolver;
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
  /** Allowed clock skew for header-signed requests (default 15 minutes, AWS's). */
  maxSkewMs?: number;
  logger?: Logger;
}

/** One decoded HTTP request, as a protocol adapter hands it to the pipeline. */
export interface PipelineCall {
  request: SigV4Request;
  /** The services this endpoint answers (Query: iam, sts; JSON: cloudtrail). */
  services: readonly ServiceName[];
  /** The service to assume before the signature names one (for audit of unauthenticated calls). */
  fallbackService: ServiceName;
  sourceIp: string;
  secureTransport: boolean;
  userAgent: string;
  /** The operation name as far as it can be read before decoding (`Action`, target suffix). */
  operationHint?: string;
  /**
   * Finds the operation and decodes + validates its input for `service`; throws AWS errors. Calls
   * `received` with the decoded input before validating it, so a call refused by validation is
   * audited with the parameters it sent; an input that cannot be decoded at all never reaches it.
   */
  decode(service: ServiceName, received: (operation: string, input: Record<string, unknown>) => void): { operation: string; input: Record<string, unknown> };
}

/** The result of a call: the operation's wire output or the error to put on the wire. */
export type PipelineOutcome =
  | { ok: true; requestId: string; service: ServiceName; operation: string; output: unknown }
  | { ok: false; requestId: string; service: ServiceName; operation?: string; error: IamError };

/**
 * authenticate (SigV4) -> decode -> authorize -> execute -> audit. Every call, including failed
 * authentication and bad input, produces exactly one audit event. Errors that are not `IamError`
 * are logged with the request id and become `ServiceFailure`, their message never sent.
 */
export class RequestPipeline<D> {
  private readonly keys = new SigningKeyCache();

  constructor(private readonly deps: PipelineDeps<D>) {}

  /** Runs one call to completion; never throws. */
  async run(call: PipelineCall): Promise<PipelineOutcome> {
    const { deps } = this;
    const requestId = deps.ids.requestId();
    const now = deps.clock.now();
    // The hint is client-supplied: only a plausible operation name reaches the audit trail.
    const hint = call.operationHint && /^[A-Za-z0-9]{1,128}$/.test(call.operationHint) ? call.operationHint : undefined;
    const state: CallState = { requestId, now, service: call.fallbackService, region: this.deps.defaultRegion ?? 'us-east-1', operation: hint };
    try {
      const sig = parseSignature(call.request);
      state.region = sig.region;
      state.claimedAccessKeyId = sig.accessKeyId;
      const service = this.serviceOf(sig, call);
      state.service = service;
      checkRequestTime(sig, now, deps.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
      const caller = await this.authenticate(call.request, sig, state);
      state.caller = caller;
      deps.credentials.recordUse?.(sig.accessKeyId, { at: now, service, region: sig.region });

      const ctx: RequestContext = { requestId, now, caller, sourceIp: call.sourceIp, userAgent: call.userAgent, region: sig.region };
      const { operation, input } = call.decode(service, (op, received) => {
        state.operation = op;
        state.input = received;
      });
      state.operation = operation;
      state.input = input;
      const spec = deps.operations.get(service, operation);
      if (!spec) {
        throw new NotImplementedError(`Castellan does not implement the ${SERVICE_TITLES[service]} operation ${operation} yet.`);
      }
      state.readOnly = spec.readOnly;
      if (!spec.skipAuthorization) await this.authorize(spec, input, ctx, call.secureTransport);
      const output = await this.execute(spec, input, ctx, state, call);
      return { ok: true, requestId, service, operation, output };
    } catch (err) {
      const error = this.toIamError(err, state);
      if (!state.audited) await this.recordSafely(this.event(state, call, { error }));
      return { ok: false, requestId, service: state.service, ...(state.operation ? { operation: state.operation } : {}), error };
    }
  }

  /**
   * Records a request refused before it could be read (a body over the size limit): it gets an
   * audit event like any other, with no identity and no parameters. Returns its request id.
   */
  async recordUnreadable(info: { service: ServiceName; sourceIp: string; userAgent: string; error: IamError }): Promise<string> {
    const requestId = this.deps.ids.requestId();
    const state: CallState = { requestId, now: this.deps.clock.now(), service: info.service, region: this.deps.defaultRegion ?? 'us-east-1', operation: undefined };
    await this.recordSafely(this.event(state, info, { error: info.error }));
    return requestId;
  }

  private serviceOf(sig: ParsedSignature, call: PipelineCall): ServiceName {
    const service = call.services.find((s) => s === sig.service);
    if (!service) {
      throw new SignatureDoesNotMatchError(`Credential should be scoped to correct service: '${call.fallbackService}'. `);
    }
    return service;
  }

  private async authenticate(request: SigV4Request, sig: ParsedSignature, state: CallState): Promise<Principal> {
    const found = await this.deps.credentials.resolve(sig.accessKeyId, sig.sessionToken);
    if (found && found.status !== 'active' && found.accountId) state.accountId = found.accountId;
    if (!found || found.status === 'inactive') {
      throw new InvalidClientTokenIdError('The security token included in the request is invalid.');
    }
    if (found.status === 'expired') throw new ExpiredTokenError('The security token included in the request is expired');
    state.accountId = found.principal.accountId;
    verifySignature(request, sig, found.secretAccessKey, this.keys);
    return found.principal;
  }

  private async authorize(spec: OperationSpec<unknown, unknown, D>, input: unknown, ctx: RequestContext, secureTransport: boolean): Promise<void> {
    const deps = this.deps.operationDeps;
    const context = { ...buildConditionContext(ctx, { secureTransport }), ...((await spec.conditionKeys?.(input, ctx, deps)) ?? {}) };
    const resourceAccount = await spec.resourceAccount?.(input, ctx, deps);
    const resource = await spec.resource(input, ctx, deps);
    const action = spec.action ?? `${spec.service}:${spec.name}`;
    await this.deps.authorizer.authorize(ctx, { action, resource, ...(resourceAccount ? { resourceAccount } : {}), context });
    for (const also of (await spec.alsoAuthorizedOn?.(input, ctx, deps)) ?? []) {
      if (also !== resource) await this.deps.authorizer.authorize(ctx, { action, resource: also, context });
    }
  }

  private async execute(spec: OperationSpec<unknown, unknown, D>, input: unknown, ctx: RequestContext, state: CallState, call: PipelineCall): Promise<unknown> {
    const { deps } = this;
    if (spec.readOnly) {
      const output = await spec.execute(input, ctx, deps.operationDeps);
      state.audited = true;
      await this.recordSafely(this.event(state, call, { output }));
      return output;
    }
    const output = await deps.transactions.run(async (txDeps) => {
      const out = await spec.execute(input, ctx, txDeps);
      await deps.audit.recordInTransaction(this.event(state, call, { output: out }), txDeps);
      return out;
    });
    state.audited = true;
    return output;
  }

  private toIamError(err: unknown, state: CallState): IamError {
    if (err instanceof IamError) return err;
    this.deps.logger?.error({ err, requestId: state.requestId, service: state.service, operation: state.operation }, 'unexpected failure');
    return new ServiceFailureError(SERVICE_FAILURE_MESSAGE, { cause: err });
  }

  private event(state: CallState, call: Pick<PipelineCall, 'sourceIp' | 'userAgent'>, result: { output?: unknown; error?: IamError }): AuditEvent {
    const event: AuditEvent = {
      eventId: this.deps.ids.requestId(),
      requestId: state.requestId,
      eventTime: state.now,
      service: state.service,
      eventName: state.operation ?? 'Unknown',
      region: state.region,
      sourceIp: call.sourceIp,
      userAgent: call.userAgent,
      accountId: state.caller?.accountId ?? state.accountId ?? this.deps.defaultAccountId,
      readOnly: state.readOnly ?? /^(Get|List|Describe|Lookup|Simulate)/.test(state.operation ?? ''),
    };
    if (state.caller) event.caller = state.caller;
    else if (state.claimedAccessKeyId) event.claimedAccessKeyId = state.claimedAccessKeyId;
    // A refused call's input is bounded only by the body limit: past MAX_AUDITED_REFUSED_INPUT it is
    // left out, so one caller cannot bloat the trail (valid input is bounded by the model).
    if (state.input && (!result.error || JSON.stringify(state.input).length <= MAX_AUDITED_REFUSED_INPUT)) event.request = state.input;
    if (result.output && typeof result.output === 'object') event.response = result.output as Record<string, unknown>;
    if (result.error) event.error = { code: result.error.code, message: capMessage(result.error.message) };
    return event;
  }

  private async recordSafely(event: AuditEvent): Promise<void> {
    try {
      await this.deps.audit.record(event);
    } catch (err) {
      this.deps.logger?.error({ err, requestId: event.requestId }, 'audit record failed');
    }
  }
}

/** What is known about a call so far, for its audit event. */
interface CallState {
  requestId: string;
  now: Date;
  service: ServiceName;
  region: string;
  operation?: string | undefined;
  input?: Record<string, unknown>;
  caller?: Principal;
  claimedAccessKeyId?: string;
  accountId?: string;
  readOnly?: boolean;
  audited?: boolean;
}

/**
 * The longest error message an audit event keeps. A validation error quotes the offending value, and
 * a caller must not be able to bloat every record of the trail with a megabyte of it.
 */
export const MAX_AUDITED_ERROR_MESSAGE = 1024;

/** The largest refused input (as JSON characters) an audit event keeps as its request parameters. */
export const MAX_AUDITED_REFUSED_INPUT = 64 * 1024;

function capMessage(message: string): string {
  return message.length <= MAX_AUDITED_ERROR_MESSAGE ? message : `${message.slice(0, MAX_AUDITED_ERROR_MESSAGE)}… (truncated)`;
}
