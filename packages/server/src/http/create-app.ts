import { Hono, type Context } from 'hono';
import pino, { type Logger } from 'pino';
import { IamError, ServiceFailureError } from '../domain/errors.js';
import { RequestMetrics } from '../metrics/request-metrics.js';
import { RequestPipeline, SERVICE_FAILURE_MESSAGE, type PipelineCall, type PipelineDeps, type PipelineOutcome } from '../pipeline/request-pipeline.js';
import type { ServiceName } from '../pipeline/operation-spec.js';
import { SourceIpResolver } from '../pipeline/source-ip.js';
import { CLOUDTRAIL_MODEL } from '../protocol/model/cloudtrail-model.js';
import { IAM_MODEL } from '../protocol/model/iam-model.js';
import type { ServiceModel } from '../protocol/model/service-model.js';
import { STS_MODEL } from '../protocol/model/sts-model.js';
import { AMZ_JSON_1_1, decodeJsonCall, resolveJsonOperation } from '../protocol/json/resolve-json-call.js';
import { serializeJsonError } from '../protocol/json/serialize-json-error.js';
import { serializeJsonOutput } from '../protocol/json/serialize-json-output.js';
import { readQueryParams } from '../protocol/query/read-query-params.js';
import { decodeQueryCall, resolveQueryOperation } from '../protocol/query/resolve-query-call.js';
import { serializeQueryError } from '../protocol/query/serialize-query-error.js';
import { serializeQueryResponse } from '../protocol/query/serialize-query-output.js';
import type { SigV4Request } from '../sigv4/sigv4-request.js';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './read-body.js';

/** The models by SigV4 service name. */
export const SERVICE_MODELS: Readonly<Record<ServiceName, ServiceModel>> = { iam: IAM_MODEL, sts: STS_MODEL, cloudtrail: CLOUDTRAIL_MODEL };

/** Everything `createApp` needs: the pipeline's dependencies plus HTTP settings. */
export interface AppDeps<D> extends PipelineDeps<D> {
  /** Proxies whose `X-Forwarded-For`/`X-Forwarded-Proto` are believed (IPs or IPv4 CIDRs). Default none. */
  trustedProxies?: readonly string[];
  /** Request body limit in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Prometheus metrics; a fresh `RequestMetrics` when omitted. */
  metrics?: RequestMetrics;
  /** Readiness check for `/healthz` (e.g. a store ping); healthy when omitted. */
  health?: () => Promise<boolean>;
  logger?: Logger;
}

/** What the Node listener passes as Hono's `env` (`@hono/node-server`'s `HttpBindings`, loosely). */
export interface PeerBindings {
  incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } };
}

/**
 * The HTTP app as a plain fetch handler: `POST|GET /` carries IAM and STS (Query protocol, routed
 * by the service in the SigV4 credential scope) and CloudTrail (JSON 1.1, by `X-Amz-Target`);
 * `/healthz` and `/metrics`. Errors go on the wire in one place per protocol; anything that is not
 * an `IamError` becomes `ServiceFailure`/500, logged with the request id, its message never sent.
 * Callers may add routes (e.g. `/_castellan/reset`) to the returned app.
 */
export function createApp<D>(deps: AppDeps<D>): Hono<{ Bindings: PeerBindings }> {
  const logger = deps.logger ?? pino();
  const pipeline = new RequestPipeline<D>({ ...deps, logger });
  const metrics = deps.metrics ?? new RequestMetrics();
  const sourceIps = new SourceIpResolver(deps.trustedProxies ?? []);
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = new Hono<{ Bindings: PeerBindings }>();

  app.get('/healthz', async (c) => {
    const healthy = deps.health ? await deps.health().catch(() => false) : true;
    return c.json({ status: healthy ? 'ok' : 'unavailable' }, healthy ? 200 : 503);
  });

  app.get('/metrics', async () => {
    const { contentType, body } = await metrics.render();
    return new Response(body, { headers: { 'content-type': contentType } });
  });

  const api = async (c: Context<{ Bindings: PeerBindings }>): Promise<Response> => {
    const started = performance.now();
    const target = c.req.header('x-amz-target');
    const json = target !== undefined;
    const url = new URL(c.req.url);
    const headers = c.req.raw.headers;
    const peer = c.env?.incoming?.socket;
    const { sourceIp, secureTransport } = sourceIps.resolve(
      peer?.remoteAddress ?? '127.0.0.1',
      headers.get('x-forwarded-for') ?? undefined,
      headers.get('x-forwarded-proto') ?? undefined,
      peer?.encrypted === true || url.protocol === 'https:',
    );
    const userAgent = headers.get('user-agent') ?? '';
    let body: Uint8Array;
    try {
      body = await readBody(c.req.raw, maxBody);
    } catch (err) {
      const error = err instanceof IamError ? err : new ServiceFailureError(SERVICE_FAILURE_MESSAGE);
      // Even a request that cannot be read leaves its audit event.
      const requestId = await pipeline.recordUnreadable({ service: json ? 'cloudtrail' : 'iam', sourceIp, userAgent, error });
      return json ? jsonError(error, requestId) : queryError(IAM_MODEL, error, requestId);
    }
    const request: SigV4Request = {
      method: c.req.method,
      path: url.pathname,
      query: url.search.slice(1),
      header: (name) => headers.get(name) ?? undefined,
      host: url.host,
      body,
    };
    const base = { request, sourceIp, secureTransport, userAgent };

    let call: PipelineCall;
    if (json) {
      const operationHint = target.slice(target.lastIndexOf('.') + 1);
      call = {
        ...base,
        services: ['cloudtrail'],
        fallbackService: 'cloudtrail',
        operationHint,
        decode: (service, received) => {
          const model = SERVICE_MODELS[service];
          const op = resolveJsonOperation(model, target);
          return { operation: op.name, input: decodeJsonCall(model, op, body, (input) => received(op.name, input)) };
        },
      };
    } else {
      const params = readQueryParams(request.query, body, headers.get('content-type') ?? undefined);
      const action = params.get('Action');
      call = {
        ...base,
        services: ['iam', 'sts'],
        fallbackService: params.get('Version') === STS_MODEL.apiVersion ? 'sts' : 'iam',
        ...(action ? { operationHint: action } : {}),
        decode: (service, received) => {
          const model = SERVICE_MODELS[service];
          const op = resolveQueryOperation(model, params);
          return { operation: op.name, input: decodeQueryCall(model, op, params, (input) => received(op.name, input)).input };
        },
      };
    }

    const outcome = await pipeline.run(call);
    const response = json ? jsonResponse(outcome) : queryResponse(outcome);
    const model = SERVICE_MODELS[outcome.service];
    const operation = outcome.operation && model.operations[outcome.operation] ? outcome.operation : 'unknown';
    metrics.observe(outcome.service, operation, outcome.ok ? 'success' : outcome.error.code, (performance.now() - started) / 1000);
    return response;
  };

  app.post('/', api);
  app.get('/', api);

  app.onError((err, c) => {
    const requestId = deps.ids.requestId();
    logger.error({ err, requestId }, 'unhandled error');
    const json = c.req.header('x-amz-target') !== undefined;
    const error = new ServiceFailureError(SERVICE_FAILURE_MESSAGE);
    return json ? jsonError(error, requestId) : queryError(IAM_MODEL, error, requestId);
  });

  return app;
}

function queryResponse(outcome: PipelineOutcome): Response {
  const model = SERVICE_MODELS[outcome.service];
  if (!outcome.ok) return queryError(model, outcome.error, outcome.requestId);
  const xml = serializeQueryResponse(model, outcome.operation, outcome.output, outcome.requestId);
  return new Response(xml, { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': outcome.requestId } });
}

function queryError(model: ServiceModel, error: IamError, requestId: string): Response {
  const { status, body } = serializeQueryError(model.xmlNamespace ?? IAM_MODEL.xmlNamespace!, error.code, error.message, requestId);
  return new Response(body, { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId } });
}

function jsonResponse(outcome: PipelineOutcome): Response {
  if (!outcome.ok) return jsonError(outcome.error, outcome.requestId);
  const model = SERVICE_MODELS[outcome.service];
  return new Response(serializeJsonOutput(model, outcome.operation, outcome.output), {
    status: 200,
    headers: { 'content-type': AMZ_JSON_1_1, 'x-amzn-requestid': outcome.requestId },
  });
}

function jsonError(error: IamError, requestId: string): Response {
  const { status, code, body } = serializeJsonError(error.code, error.message);
  return new Response(body, { status, headers: { 'content-type': AMZ_JSON_1_1, 'x-amzn-requestid': requestId, 'x-amzn-errortype': code } });
}
