import { createServer, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { nodeApiListenerOf } from './node-api.js';

/** A running Node HTTP listener. */
export interface HttpServerHandle {
  /** The bound port (useful with port 0). */
  port: number;
  host: string;
  /** `http://host:port`. */
  url: string;
  /**
   * Graceful shutdown: stops accepting connections, closes idle keep-alive sockets, lets in-flight
   * requests finish, then resolves. After `forceAfterMs` remaining connections are cut.
   */
  close(options?: { forceAfterMs?: number }): Promise<void>;
}

/** Anything with a fetch handler, e.g. the Hono app from `createApp`. */
export interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/** Where and how patiently to listen. */
export interface ListenOptions {
  host: string;
  port: number;
  /** Time a client has to send the request line and headers (default 10 s); a slower one gets 408 and is cut off. */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request, body included (default 60 s); a slower one gets 408 and is cut off. */
  requestTimeoutMs?: number;
}

/** Defaults that a real client never reaches but that keep a trickling client from holding a connection. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Serves `app` with `@hono/node-server`. The app receives the Node `IncomingMessage` as
 * `env.incoming`, so `aws:SourceIp` comes from the TCP peer. An app from `createApp` has its API
 * calls answered straight from Node's request and response (`node-api.ts`), the rest by Hono. Slow clients (a slowloris sending
 * headers or body a byte at a time) are cut off after the headers and request timeouts.
 */
export function startHttpServer(app: FetchApp, options: ListenOptions): Promise<HttpServerHandle> {
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(headersTimeout, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    const viaFetch = getRequestListener((req, env) => app.fetch(req, env), { hostname: options.host });
    const api = nodeApiListenerOf(app);
    const listener: RequestListener = api
      ? (req, res) => {
          if (!api(req, res)) void viaFetch(req, res);
        }
      : viaFetch;
    // Node checks the timeouts every `connectionsCheckingInterval`; its 30 s default would let a
    // short timeout run long.
    const server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, Math.ceil(headersTimeout / 2)) }, listener);
    // Track in-flight responses so shutdown can end their keep-alive connections once they finish,
    // instead of waiting for the keep-alive timeout.
    const inFlight = new Set<ServerResponse>();
    let closing = false;
    // One handler for every response (`close` comes once): no closure and `once` wrapper per request.
    function onResponseClose(this: ServerResponse): void {
      inFlight.delete(this);
      if (closing) server.closeIdleConnections();
    }
    server.on('request', (_req, res: ServerResponse) => {
      inFlight.add(res);
      if (closing) res.shouldKeepAlive = false;
      res.on('close', onResponseClose);
    });
    server.once('error', reject);
    server.listen(options.port, options.host);
    server.once('listening', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        port,
        host: options.host,
        url: `http://${host}:${port}`,
        close: ({ forceAfterMs = 10_000 } = {}) =>
          new Promise<void>((done, fail) => {
            closing = true;
            for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
            const timer = setTimeout(() => server.closeAllConnections(), forceAfterMs);
            timer.unref();
            server.close((err) => {
              clearTimeout(timer);
              if (err) fail(err);
              else done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
