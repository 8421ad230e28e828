import { startHttpServer, type FetchApp, type HttpServerHandle } from '../../../packages/server/src/http/node-listener.js';

/** Serves `app` on 127.0.0.1 on a random free port through the real Node listener. */
export function startServer(app: FetchApp): Promise<HttpServerHandle> {
  return startHttpServer(app, { host: '127.0.0.1', port: 0 });
}
