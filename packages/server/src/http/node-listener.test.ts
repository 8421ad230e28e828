import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServerHandle } from './node-listener.js';

let server: HttpServerHandle;
beforeAll(async () => {
  // Like the API, the app reads the whole body before answering.
  server = await startHttpServer({ fetch: async (req) => new Response(`ok ${(await req.text()).length}`) }, { host: '127.0.0.1', port: 0, headersTimeoutMs: 300, requestTimeoutMs: 600 });
});
afterAll(() => server?.close({ forceAfterMs: 100 }));

/** Sends `data` and then nothing; resolves with what the server answered and how long until it closed the connection. */
function stall(data: string): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(server.port, '127.0.0.1', () => socket.write(data));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve({ answer, ms: Date.now() - started }));
    socket.on('error', reject);
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept a stalled connection open'));
    }, 5000).unref();
  });
}

describe('slow clients', () => {
  it('are answered 408 and cut off when their headers never finish', async () => {
    const { answer, ms } = await stall('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(3000);
  });

  it('are cut off, unanswered, when their body never finishes', async () => {
    const { answer, ms } = await stall('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nAction=ListUsers');
    expect(answer).not.toMatch(/^HTTP\/1\.1 200/);
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(ms).toBeLessThan(3000);
  });

  it('serves a client that sends in time', async () => {
    expect(await (await fetch(`${server.url}/`, { method: 'POST', body: 'Action=ListUsers' })).text()).toBe('ok 16');
  });
});
