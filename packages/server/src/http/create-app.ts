import { Hono, type Context } from 'hono';
import pino, { type Logger } from 'pino';
import type { RateLimiter } from '../domain/rate-limiter.js';
import { RequestMetrics } from '../metrics/request-metrics.js';
import { RequestPipeline, type PipelineDeps } from '../pipeline/request-pipeline.js';
import { SourceIpResolver } from '../pipeline/source-ip.js';
import type { WireAnswer } from '../protocol/protocol-adapter.js';
import { ApiCalls, userAgentFrom } from './api-calls.js';
import { isBrowserHome } from './console-assets-route.js';
import { healthStatusCode, type HealthReport } from './health.js';
import { createMetricsApp } from './metrics-app.js';
import { attachNodeApiListener, nodeApiCall, writeAnswer } from './node-api.js';
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
  /** What `/healthz` answers (see `health.ts`); ok when omitted, unavailable when it throws. */
  health?: () => Promise<HealthReport>;
  logger?: Logger;
  /** Where a browser opening `GET /` is sent (the web console, `/console/`). Default: no redirect. */
  browserHome?: string;
}

/** What the Node listener passes as Hono's `env` (`@hono/node-server`'s `HttpBindings`, loosely). */
export interface PeerBindings {
  incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } } & Partial<NodeBodySource>;
}

/**
 * The HTTP app as a plain fetch handler: `POST|GET /` carries IAM and STS (Query protocol, routed
 * by the service in the SigV4 credential scope) and CloudTrail (JSON 1.1, by `X-Amz-Target`);
 * `/healthz`, and `/metrics` when asked. It only routes: the protocol adapter reads the call and writes the
 * outcome, the pipeline runs it. Anything thrown outside the pipeline becomes `ServiceUnavailable`/503
 * (the store is unavailable) or `ServiceFailure`/500, logged with the request id, its message never sent. Callers may add routes to the returned app.
 * Under `startHttpServer` the API calls skip Hono (see `node-api.ts`) and reach the same {@link ApiCalls}.
 */
export function createApp<D>(deps: AppDeps<D>): Hono<{ Bindings: PeerBindings }> {
  const logger = deps.logger ?? pino();
  const metrics = deps.metrics ?? new RequestMetrics();
  const calls = new ApiCalls<D>({
    pipeline: new RequestPipeline<D>({ ...deps, logger }),
    metrics,
    sourceIps: new SourceIpResolver(deps.trustedProxies ?? []),
    maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    addressLimiter: deps.addressLimiter,
    clock: deps.clock,
    ids: deps.ids,
    logger,
  });
  const app = new Hono<{ Bindings: PeerBindings }>();

  app.get('/healthz', async (c) => {
    const report: HealthReport = deps.health ? await deps.health().catch(() => ({ status: 'unavailable', reason: 'store-unreachable' }) as const) : { status: 'ok' };
    return c.json(report, healthStatusCode(report));
  });

  if (deps.metricsRoute) app.route('/', createMetricsApp(metrics));

  const api = async (c: Context<{ Bindings: PeerBindings }>): Promise<Response> => {
    const url = new URL(c.req.url);
    const headers = c.req.raw.headers;
    const incoming = c.env?.incoming;
    const header = (name: string) => headers.get(name) ?? undefined;
    const answer = await calls.answer({
      method: c.req.method,
      path: url.pathname,
      query: url.search.slice(1),
      host: url.host,
      header,
      remoteAddress: incoming?.socket?.remoteAddress,
      encrypted: incoming?.socket?.encrypted === true || url.protocol === 'https:',
      readBody: (maxBytes) => (typeof incoming?.on === 'function' ? readNodeBody(incoming as NodeBodySource, headers.get('content-length'), maxBytes) : readBody(c.req.raw, maxBytes)),
    });
    return toResponse(answer);
  };

  app.post('/', api);
  app.get('/', (c) => (deps.browserHome && isBrowserHome(c.req.method, new URL(c.req.url).search, c.req.raw.headers) ? c.redirect(deps.browserHome, 302) : api(c)));

  app.onError((err, c) => toResponse(calls.failure(err, (name) => c.req.raw.headers.get(name) ?? undefined)));

  attachNodeApiListener(app, (req, res) => {
    const call = nodeApiCall(req);
    // A browser opening the home page may be redirected: the fetch path decides.
    if (!call || (deps.browserHome && call.method === 'GET' && call.query === '' && call.header('authorization') === undefined)) return false;
    calls
      .answer(call)
      .then(
        (answer) => writeAnswer(res, answer),
        (err: unknown) => writeAnswer(res, calls.failure(err, call.header)),
      )
      .catch((err: unknown) => {
        logger.error({ err }, 'writing a response failed');
        // Nothing more can be written on it: close the connection instead of leaving it to time out.
        res.destroy();
      });
    return true;
  });

  return app;
}

function toResponse(answer: WireAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** The `userAgent` the audit records (see {@link userAgentFrom}). */
export function userAgentOf(headers: Headers): string {
  return userAgentFrom((name) => headers.get(name) ?? undefined);
}
