/**
 * What the API signs and what it serves must come from the same request. The bucket-less API
 * serves by its body and query alone, never by the Host, so the two HTTP/1.1 forms that let a
 * server read a different host than a client signed (two `Host` headers, which Node reduces to the
 * first; an absolute-form target, whose authority the URL takes) cannot change the operation: these
 * tests pin that down over a real socket, through both the Node fast path and the fetch path.
 */
import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { createCastellan, type Castellan } from '../main.js';
import { signedRequest, type TestCredentials } from '../sigv4/test-sign.js';
import { startHttpServer, type HttpServerHandle } from './node-listener.js';

const ROOT: TestCredentials = { accessKeyId: 'AKIAREQUESTTARGET001', secretAccessKey: 'request-target-test-secret-0123456789abcd' };
let castellan: Castellan;
let server: HttpServerHandle;

beforeAll(async () => {
  const resolved = resolveConfig([{ ephemeral: true, accountId: '123456789012', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0 }]);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  castellan = await createCastellan(resolved.config, { logger: pino({ level: 'silent' }) });
  server = await startHttpServer(castellan.app, { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close({ forceAfterMs: 100 });
  await castellan?.close();
});

/** A ListUsers signed for `Host: 127.0.0.1:PORT`, sent as written with `target` and `extraHeaders`. */
async function send(target: string, extraHeaders: string[] = []): Promise<{ status: string | undefined; text: string }> {
  const body = new URLSearchParams({ Action: 'ListUsers', Version: '2010-05-08' }).toString();
  const signed = await signedRequest({ url: `${server.url}/`, body, service: 'iam', credentials: ROOT });
  const lines = [`POST ${target} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, ...extraHeaders];
  signed.headers.forEach((value, name) => {
    if (name !== 'host') lines.push(`${name}: ${value}`);
  });
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close');
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`));
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => resolve({ status: /^HTTP\/1\.1 (\d+)/.exec(text)?.[1], text }));
    socket.on('error', reject);
  });
}

describe('the request target and Host the API reads', () => {
  it('serves the signed request as sent', async () => {
    expect((await send('/')).status).toBe('200');
  });

  it('checks a request with two Host headers over both (joined, as SigV4 joins a repeated header): a signature over one is refused', async () => {
    const r = await send('/', ['Host: other.example']);
    expect(r.status).toBe('403');
    expect(r.text).toContain('SignatureDoesNotMatch');
  });

  it('serves an absolute-form target by its path and the signed Host header: the target\'s authority changes nothing served', async () => {
    // The same operation as the origin-form request, whatever host the target names.
    const r = await send('http://other.example/');
    expect(r.status).toBe('200');
    expect(r.text).toContain('<ListUsersResult>');
    // Its path is what is signed and served: another path is another route.
    expect((await send('http://other.example/elsewhere')).status).toBe('404');
  });
});
