import type { Logger } from 'pino';
import { ThrottlingError } from '../domain/errors.js';
import type { InboundRequest } from '../domain/ports/inbound-request.js';
import type { RateLimiter } from '../domain/rate-limiter.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';
import { awsErrorOf } from '../pipeline/aws-error-of.js';
import type { RequestPipeline } from '../pipeline/request-pipeline.js';
import type { SourceIpResolver } from '../pipeline/source-ip.js';
import { JsonAdapter } from '../protocol/json/json-adapter.js';
import type { ProtocolAdapter, WireAnswer } from '../protocol/protocol-adapter.js';
import { QueryAdapter } from '../protocol/query/query-adapter.js';
import { serviceEntry } from '../protocol/service-table.js';

/** Header lookup by lower-case name, as `Headers.get` answers it (several values joined with `, `). */
export type HeaderLookup = (name: string) => string | undefined;

/**
 * One API call (`POST|GET /`) as the HTTP layer received it, whether from Node's request (the
 * listener's fast path) or from a fetch `Request` (the Hono route, in-process callers).
 */
export interface ApiCallFacts {
  method: string;
  /** Still percent-encoded, as received. */
  path: string;
  /** Without `?`. */
  query: string;
  host: string;
  header: HeaderLookup;
  /** The TCP peer, when there is one. */
  remoteAddress: string | undefined;
  /** True when the connection is TLS. */
  encrypted: boolean;
  /** Reads the body, refusing more than `maxBytes`. */
  readBody(maxBytes: number): Promise<Uint8Array>;
}

/**
 * The wire protocols, asked in order: the first that accepts a request reads it. AWS JSON is told
 * by its `X-Amz-Target` header; everything else is Query.
 */
const PROTOCOLS: readonly ProtocolAdapter[] = [new JsonAdapter(), new QueryAdapter()];

export function protocolOf(request: Pick<InboundRequest, 'header'>): ProtocolAdapter {
  return PROTOCOLS.find((p) => p.accepts(request))!;
}

export interface ApiCallDeps<D> {
  pipeline: RequestPipeline<D>;
  metrics: RequestMetrics;
  sourceIps: SourceIpResolver;
  maxBodyBytes: number;
  addressLimiter: RateLimiter | undefined;
  clock: { now(): Date };
  ids: { requestId(): string };
  logger: Logger;
}

/**
 * Answers API calls whatever way they arrived: the protocol adapter reads the call and writes the
 * outcome, the pipeline runs it, the metrics count it.
 */
export class ApiCalls<D> {
  constructor(private readonly deps: ApiCallDeps<D>) {}

  async answer(call: ApiCallFacts): Promise<WireAnswer> {
    const started = performance.now();
    const { deps } = this;
    const protocol = protocolOf(call);
    const { sourceIp, secureTransport } = deps.sourceIps.resolve(call.remoteAddress ?? '127.0.0.1', call.header('x-forwarded-for'), call.header('x-forwarded-proto'), call.encrypted);
    const peer = { sourceIp, secureTransport, userAgent: userAgentFrom(call.header) };
    let body: Uint8Array;
    try {
      // A flooding address is turned away before its body costs anything.
      if (deps.addressLimiter && !deps.addressLimiter.take(sourceIp, deps.clock.now().getTime())) throw new ThrottlingError('Rate exceeded');
      body = await call.readBody(deps.maxBodyBytes);
    } catch (err) {
      const error = awsErrorOf(err);
      // Even a request that is not read leaves its audit event.
      const requestId = await deps.pipeline.recordUnreadable({ service: protocol.unreadableService, sourceIp, userAgent: peer.userAgent, error, recordedErrorCode: (code) => protocol.recordedErrorCode(code) });
      return protocol.writeError(error, requestId);
    }
    const request: InboundRequest = { method: call.method, path: call.path, query: call.query, header: call.header, host: call.host, body };
    const outcome = await deps.pipeline.run(protocol.readCall(request, peer));
    const answer = protocol.writeOutcome(outcome);
    const model = serviceEntry(outcome.service)?.model;
    const operation = outcome.operation && model && Object.hasOwn(model.operations, outcome.operation) ? outcome.operation : 'unknown';
    deps.metrics.observe(outcome.service, operation, outcome.ok ? 'success' : outcome.error.code, (performance.now() - started) / 1000);
    return answer;
  }

  /**
   * The answer to a call that threw outside the pipeline: `ServiceUnavailable` or `ServiceFailure`
   * (`aws-error-of.ts`), logged with its request id, its message never sent.
   */
  failure(err: unknown, header: HeaderLookup): WireAnswer {
    const requestId = this.deps.ids.requestId();
    this.deps.logger.error({ err, requestId }, 'unhandled error');
    return protocolOf({ header }).writeError(awsErrorOf(err), requestId);
  }
}

/**
 * The `userAgent` the audit records. Browsers do not let a page set `User-Agent`, so the web
 * console names itself in `X-Castellan-Console` (its version) and the record reads
 * `castellan-console/<version> (<browser's user agent>)`, as AWS's console marks its calls.
 */
export function userAgentFrom(header: HeaderLookup): string {
  const ua = header('user-agent') ?? '';
  const console = header('x-castellan-console');
  return console && /^[0-9A-Za-z.+-]{1,32}$/.test(console) ? `castellan-console/${console} (${ua})` : ua;
}
