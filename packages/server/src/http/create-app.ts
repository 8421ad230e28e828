import { Hono, type Context } from 'hono';
import pino, { type Logger } from 'pino';
import { AwsError, ServiceFailureError, ThrottlingError } from '../domain/errors.js';
import type { RateLimiter } from '../domain/rate-limiter.js';
import type { InboundRequest } from '../domain/ports/inbound-request.js';
import { RequestMetrics } from '../metrics/request-metrics.js';
import { RequestPipeline, SERVICE_FAILURE_MESSAGE, type PipelineDeps } from '../pipeline/request-pipeline.js';
import { SourceIpResolver } from '../pipeline/source-ip.js';
import { JsonAdapter } from '../protocol/json/json-adapter.js';
import type { ProtocolAdapter } from '../protocol/protocol-adapter.js';
import { QueryAdapter } from '../protocol/query/query-adapter.js';
import { serviceEntry } from '../protocol/service-table.js';
import { isBrowserHome } from './console-assets-route.js';
import { createMetricsApp } from './metrics-app.js';
import { DEFAULT_MAX_BODY_BYTES, readBody, readNodeBody, type NodeBodySource } from './read-body.js';

/** Everything `createApp` needs: the pipeline's dependencies plus HTTP settings. */
export interface AppDeps<D> extends PipelineDeps<D> {
  /** Proxies whose `X-Forwarded-For`/`X-Forwarded-Proto` are believed (IPs or IPv4 CIDRs). Default none. */
  trustedProxies?: readonly string[];
  /** Request body limit in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Prometheus metrics; a fresh `RequestMetrics` when omitted. */
  metrics?: RequestMetrics;
  /** Serve `GET /metrics` on this app too (tests, embedders). Default is off: `castellan serve` serves metrics on their own address, opt-in. */
  metricsRoute?: boolean;
  /** Requests per source address (`aws:SourceIp`); over it a request gets `Throttling` before its body is read. Default none. */
  addressLimiter?: RateLimiter;
  /** Readiness check for `/healthz` (e.g. a store ping); healthy when omitted. */
  health?: () => Promise<boolean>;
  logger?: Logger;
  /** Where a browser opening `GET /` is sent (the web console, `/console/`). Default: no redirect. */
  browserHome?: string;
}

/** What the Node listener passes as Hono's `env` (`@hono/node-server`'s `HttpBindings`, loosely). */
export interface PeerBindings {
  incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } } & Partial<NodeBodySource>;
}

/**
 * The wire protocols, asked in order: the first that accepts a request reads it. AWS JSON is told
 * by its `X-Amz-Target` header; everything else is Query.
 */
const PROTOCOLS: readonly ProtocolAdapter[] = [new JsonAdapter(), new QueryAdapter()];

/**
 * The HTTP app as a plain fetch handler: `POST|GET /` carries IAM and STS (Query protocol, routed
 * by the service in the SigV4 credential scope) and CloudTrail (JSON 1.1, by `X-Amz-Target`);
 * `/healthz`, and `/metrics` when asked. It only routes: the protocol adapter reads the call and writes the
 * outcome, the pipeline runs it. Anything thrown outside the pipeline becomes `ServiceFailure`/500,
 * logged with the request id, its message never sent. Callers may add routes to the returned app.
 */
export function createApp<D>(deps: AppDeps<D>): Hono<{ Bindings: PeerBindings }> {
  const logger = deps.logger ?? pino();
  const pipeline = new RequestPipeline<D>({ ...deps, logger });
  const metrics = deps.metrics ?? new RequestMetrics();
  const sourceIps = new SourceIpResolver(deps.trustedProxies ?? []);
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = new Hono<{ Bindings: PeerBindings }>();
  const protocolOf = (headers: Headers): ProtocolAdapter => {
    const header = (name: string) => headers.get(name) ?? undefined;
    return PROTOCOLS.find((p) => p.accepts({ header }))!;
  };

  app.get('/healthz', async (c) => {
    const healthy = deps.health ? await deps.health().catch(() => false) : true;
    return c.json({ status: healthy ? 'ok' : 'unavailable' }, healthy ? 200 : 503);
  });

  if (deps.metricsRoute) app.route('/', createMetricsApp(metrics));

  const api = async (c: Context<{ Bindings: PeerBindings }>): Promise<Response> => {
    const started = performance.now();
    const url = new URL(c.req.url);
    const headers = c.req.raw.headers;
    const protocol = protocolOf(headers);
    const socket = c.env?.incoming?.socket;
    const { sourceIp, secureTransport } = sourceIps.resolve(
      socket?.remoteAddress ?? '127.0.0.1',
      headers.get('x-forwarded-for') ?? undefined,
      headers.get('x-forwarded-proto') ?? undefined,
      socket?.encrypted === true || url.protocol === 'https:',
    );
    const peer = { sourceIp, secureTransport, userAgent: userAgentOf(headers) };
    let body: Uint8Array;
    try {
      // A flooding address is turned away before its body costs anything.
      if (deps.addressLimiter && !deps.addressLimiter.take(sourceIp, deps.clock.now().getTime())) throw new ThrottlingError('Rate exceeded');
      const incoming = c.env?.incoming;
      body = incoming?.[Symbol.asyncIterator] ? await readNodeBody(incoming as NodeBodySource, headers.get('content-length'), maxBody) : await readBody(c.req.raw, maxBody);
    } catch (err) {
      const error = err instanceof AwsError ? err : new ServiceFailureError(SERVICE_FAILURE_MESSAGE);
      // Even a request that is not read leaves its audit event.
      const requestId = await pipeline.recordUnreadable({ service: protocol.unreadableService, sourceIp, userAgent: peer.userAgent, error, clientErrorCode: (code) => protocol.clientErrorCode(code) });
      return protocol.writeError(error, requestId);
    }
    const request: InboundRequest = {
      method: c.req.method,
      path: url.pathname,
      query: url.search.slice(1),
      header: (name) => headers.get(name) ?? undefined,
      host: url.host,
      body,
    };
    const outcome = await pipeline.run(protocol.readCall(request, peer));
    const response = protocol.writeOutcome(outcome);
    const model = serviceEntry(outcome.service)?.model;
    const operation = outcome.operation && model && Object.hasOwn(model.operations, outcome.operation) ? outcome.operation : 'unknown';
    metrics.observe(outcome.service, operation, outcome.ok ? 'success' : outcome.error.code, (performance.now() - started) / 1000);
    return response;
  };

  app.post('/', api);
  app.get('/', (c) => (deps.browserHome && isBrowserHome(c.req.method, new URL(c.req.url).search, c.req.raw.headers) ? c.redirect(deps.browserHome, 302) : api(c)));

  app.onError((err, c) => {
    const requestId = deps.ids.requestId();
    logger.error({ err, requestId }, 'unhandled error');
    return protocolOf(c.req.raw.headers).writeError(new ServiceFailureError(SERVICE_FAILURE_MESSAGE), requestId);
  });

  return app;
}

/**
 * The `userAgent` the audit records. Browsers do not let a page set `User-Agent`, so the web
 * console names itself in `X-Castellan-Console` (its version) and the record reads
 * `castellan-console/<version> (<browser's user agent>)`, as AWS's console marks its calls.
 */
export function userAgentOf(headers: Headers): string {
  const ua = headers.get('user-agent') ?? '';
  const console = headers.get('x-castellan-console');
  return console && /^[0-9A-Za-z.+-]{1,32}$/.test(console) ? `castellan-console/${console} (${ua})` : ua;
}
