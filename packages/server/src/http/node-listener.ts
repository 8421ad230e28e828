import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

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

/**
 * Serves `app` with `@hono/node-server`. The app receives the Node `IncomingMessage` as
 * `env.incoming`, so `aws:SourceIp` comes from the TCP peer.
 */
export function startHttpServer(app: FetchApp, options: { host: string; port: number }): Promise<HttpServerHandle> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: (req, env) => app.fetch(req, env), hostname: options.host, port: options.port }) as Server;
    // Track in-flight responses so shutdown can end their keep-alive connections once they finish,
    // instead of waiting for the keep-alive timeout.
    const inFlight = new Set<ServerResponse>();
    let closing = false;
    server.on('request', (_req, res: ServerResponse) => {
      inFlight.add(res);
      if (closing) res.shouldKeepAlive = false;
      res.once('close', () => {
        inFlight.delete(res);
        if (closing) server.closeIdleConnections();
      });
    });
    server.once('error', reject);
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
