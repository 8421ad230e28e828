import { Hono } from 'hono';
import type { RequestMetrics } from '../metrics/request-metrics.js';

/**
 * The Prometheus endpoint on its own: `GET /metrics`. The composition root serves it on a separate
 * address only when asked to (`--metrics-port`), since per-operation counts say what a server is used for.
 */
export function createMetricsApp(metrics: RequestMetrics): Hono {
  const app = new Hono();
  app.get('/metrics', async () => {
    const { contentType, body } = await metrics.render();
    return new Response(body, { headers: { 'content-type': contentType } });
  });
  return app;
}
