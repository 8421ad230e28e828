// The framework's ceiling: the same fixed XML body as the bare peer, answered by a Hono app through
// @hono/node-server (Castellan's HTTP layer), reading the body from Node's stream as Castellan does.
// Run as its own process; prints its port.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { BODY } from './bare-peer-body.js';

const app = new Hono();
app.post('/', async (c) => {
  for await (const _chunk of c.env.incoming) { /* drain the body */ }
  return c.body(BODY, 200, { 'content-type': 'text/xml' });
});
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log(`listening ${info.port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
