import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { AuthorizationAnswer, AuthorizationQuestion, RequestAuthorizer } from '../types.js';
import { castellanExpress } from './express.js';
import { castellanFastify } from './fastify.js';
import { castellanHono } from './hono.js';

/** Answers by the request's path: `/ok…` allowed, `/denied…` denied, `/two-signatures…` signed twice, anything else unauthenticated; keeps the questions. */
function fakeAuthorizer(): RequestAuthorizer & { questions: AuthorizationQuestion[] } {
  const questions: AuthorizationQuestion[] = [];
  return {
    questions,
    async authorize(q): Promise<AuthorizationAnswer> {
      questions.push(q);
      if (q.request.path.startsWith('/two-signatures')) return { authenticated: false, error: { code: 'InvalidParameterCombination', message: 'Only one auth mechanism allowed' } };
      if (!q.request.path.startsWith('/ok') && !q.request.path.startsWith('/denied')) return { authenticated: false, error: { code: 'SignatureDoesNotMatch', message: 'bad signature' } };
      const allowed = q.request.path.startsWith('/ok');
      return {
        authenticated: true,
        principal: { type: 'IAMUser', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice', principalId: 'AIDA', mfaAuthenticated: false },
        authentication: { method: 'sigv4-header', accessKeyId: 'AKIA', temporaryCredentials: false, mfaAuthenticated: false, region: 'us-east-1', service: 'reports', signedAt: new Date() },
        decisions: [{ action: 'reports:Get', resource: '*', effect: allowed ? 'allow' : 'implicitDeny', decidedBy: [], ...(allowed ? {} : { message: 'User: alice is not authorized' }) }],
        allowed,
        // `/ok-chunks`: a chunk-signed upload answered as Castellan answers a service of another ordinary account, without the signing key.
        ...(q.request.path.startsWith('/ok-chunks')
          ? { payload: { kind: 'streaming-signed' as const, trailer: false }, streaming: { seedSignature: 'ab'.repeat(32), amzDate: '20261206T120000Z', scope: '20261206/us-east-1/reports/aws4_request' } }
          : { payload: { kind: 'unsigned' as const } }),
      };
    },
  };
}

const describeReport = () => ({ authorizations: [{ action: 'reports:Get', resource: '*' }] });
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** Starts each framework's app with the middleware in front of one route answering the caller's ARN. */
const FRAMEWORKS: Array<[string, (authorizer: RequestAuthorizer) => Promise<string>]> = [
  ['Hono', async (authorizer) => {
    const app = new Hono();
    app.use('*', castellanHono({ authorizer, describe: describeReport }));
    app.all('*', (c) => c.json({ caller: (c.get('castellan' as never) as AuthorizationAnswer & { authenticated: true }).principal.arn }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }],
  ['Express', async (authorizer) => {
    const app = express();
    app.use(castellanExpress({ authorizer, describe: describeReport }));
    app.all(/.*/, (_req, res) => void res.json({ caller: res.locals['castellan'].principal.arn }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }],
  ['Fastify', async (authorizer) => {
    const app = Fastify();
    app.addHook('preHandler', castellanFastify({ authorizer, describe: describeReport }));
    app.all('/*', async (req) => ({ caller: (req as unknown as { castellan: AuthorizationAnswer & { authenticated: true } }).castellan.principal.arn }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }],
];

describe.each(FRAMEWORKS)('%s middleware', (_name, start) => {
  it('forwards the request as received and lets an allowed one through with its answer', async () => {
    // Given the middleware in front of a route
    const authorizer = fakeAuthorizer();
    const url = await start(authorizer);
    // When an allowed request arrives with an encoded path and a query
    const res = await fetch(`${url}/ok/a%20b?x=1&y=%2B`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE', 'x-amz-date': '20261206T120000Z' } });
    // Then the route runs with the answer, and the authorizer saw the path, query and headers as sent
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ caller: 'arn:aws:iam::111111111111:user/alice' });
    const q = authorizer.questions[0]!;
    expect(q.request).toMatchObject({ method: 'GET', path: '/ok/a%20b', query: 'x=1&y=%2B', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE', 'x-amz-date': '20261206T120000Z' } });
    expect(q.request.headers['host']).toBe(new URL(url).host);
    expect(q.sourceIp).toMatch(/127\.0\.0\.1$/);
    expect(q.authorizations).toEqual([{ action: 'reports:Get', resource: '*' }]);
  });

  it.each([
    ['/denied', 403, 'AccessDenied', 'User: alice is not authorized'],
    ['/unsigned', 403, 'SignatureDoesNotMatch', 'bad signature'],
    ['/two-signatures', 400, 'InvalidParameterCombination', 'Only one auth mechanism allowed'],
  ])('answers %s with %i %s and never runs the route', async (path, status, code, message) => {
    const url = await start(fakeAuthorizer());
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ __type: code, message });
  });
});

describe.each(FRAMEWORKS)('%s middleware, a chunk-signed upload without the signing key', (_name, start) => {
  it('is refused 501 NotImplemented, naming what the client can send instead, and the route never runs', async () => {
    const url = await start(fakeAuthorizer());
    const res = await fetch(`${url}/ok-chunks/upload`, { method: 'PUT', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }, body: 'x' });
    expect(res.status).toBe(501);
    expect(await res.json()).toEqual({ __type: 'NotImplemented', message: expect.stringContaining('UNSIGNED-PAYLOAD') });
  });
});

describe('Hono middleware, the body it reads to hash', () => {
  async function startHono(authorizer: RequestAuthorizer, maxBodyBytes?: number): Promise<string> {
    const app = new Hono();
    app.use('*', castellanHono({ authorizer, describe: describeReport, ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}) }));
    app.all('*', async (c) => c.json({ length: (await c.req.arrayBuffer()).byteLength }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE' };
  /** A body sent chunked (no Content-Length), as `curl -H 'Transfer-Encoding: chunked'` sends it. */
  const chunked = (bytes: number) => ({ body: new Blob([new Uint8Array(bytes)]).stream(), duplex: 'half' as const });

  it.each([
    ['a signed body with its length', (url: string) => fetch(`${url}/ok/x`, { method: 'POST', headers: signed, body: 'hello' }), Buffer.from('hello')],
    ['a signed chunked body', (url: string) => fetch(`${url}/ok/x`, { method: 'POST', headers: signed, ...chunked(5) } as RequestInit), Buffer.alloc(5)],
    ['a presigned request’s body', (url: string) => fetch(`${url}/ok/x?X-Amz-Signature=ab`, { method: 'POST', body: 'hello' }), Buffer.from('hello')],
  ])('hashes %s and leaves it to the route', async (_name, send, sent) => {
    const authorizer = fakeAuthorizer();
    const res = await send(await startHono(authorizer));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ length: sent.length });
    expect(authorizer.questions[0]!.bodySha256).toBe(createHash('sha256').update(sent).digest('hex'));
  });

  it.each([
    ['declared by Content-Length', { body: new Uint8Array(100 * 1024 + 1) }],
    ['sent chunked', chunked(100 * 1024 + 1)],
  ])('answers 413 for a signed body over the default 100 kB limit %s, without asking', async (_name, body) => {
    const authorizer = fakeAuthorizer();
    const res = await fetch(`${await startHono(authorizer)}/ok/x`, { method: 'POST', headers: signed, ...body } as RequestInit);
    expect(res.status).toBe(413);
    expect(authorizer.questions).toEqual([]);
  });

  it('takes its limit from maxBodyBytes', async () => {
    const authorizer = fakeAuthorizer();
    const url = await startHono(authorizer, 4);
    expect((await fetch(`${url}/ok/x`, { method: 'POST', headers: signed, body: 'hello' })).status).toBe(413);
    expect((await fetch(`${url}/ok/x`, { method: 'POST', headers: signed, body: 'hell' })).status).toBe(200);
  });

  it('never reads an unsigned body: the request is asked about (and refused) without a hash', async () => {
    const authorizer = fakeAuthorizer();
    const res = await fetch(`${await startHono(authorizer)}/unsigned`, { method: 'POST', ...chunked(1024 * 1024) } as RequestInit);
    expect(res.status).toBe(403);
    expect(authorizer.questions[0]!.bodySha256).toBeUndefined();
  });
});
