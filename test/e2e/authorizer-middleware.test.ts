/**
 * The authorizer client's middleware (Hono, Express, Fastify) in front of a small "reports" service,
 * set up as README.md's "Castellan in front of your service" shows it, with a real Castellan behind
 * it (the round trip and the in-process check) and curl's own SigV4 signing as the client: curl, like
 * the AWS SDKs for services other than S3, declares no `x-amz-content-sha256`, so the middleware
 * must give Castellan the hash of the body it received. Also: the in-process check's cache follows a
 * detached policy and a deactivated key within `refreshAfterMs` plus one request, as README says.
 */
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, DetachUserPolicyCommand, PutUserPolicyCommand, UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastellanAuthorizer, InProcessAuthorizer, type AuthorizationAnswer, type RequestAuthorizer } from '@castellan/authorizer-client';
import { castellanExpress } from '@castellan/authorizer-client/express';
import { castellanFastify } from '@castellan/authorizer-client/fastify';
import { castellanHono } from '@castellan/authorizer-client/hono';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const A = E2E_ACCOUNT_ID;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
let t: TestCastellan;
const creds: Record<string, StaticCredentials> = {};

async function user(name: string, doc?: string): Promise<StaticCredentials> {
  const iam = t.iam();
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (doc) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: doc }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

/** curl signing the request itself (`--aws-sigv4`, service `reports`): its status and body. */
async function curl(url: string, who: StaticCredentials, body?: string): Promise<{ status: number; body: any }> {
  const args = ['-s', '-w', '\n%{http_code}', '--aws-sigv4', 'aws:amz:us-east-1:reports', '--user', `${who.accessKeyId}:${who.secretAccessKey}`];
  if (body !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', body);
  const { stdout } = await promisify(execFile)('curl', [...args, url]);
  const nl = stdout.lastIndexOf('\n');
  const text = stdout.slice(0, nl);
  return { status: Number(stdout.slice(nl + 1)), body: text.startsWith('{') ? JSON.parse(text) : text };
}

const describeReport = (id: string, method: string) => ({
  authorizations: [{ action: method === 'GET' ? 'reports:GetReport' : 'reports:PutReport', resource: `arn:aws:reports:::report/${id}` }],
  event: { eventName: method === 'GET' ? 'GetReport' : 'PutReport', readOnly: method === 'GET', requestParameters: { id } },
});

/** Each framework's app as README shows it: GET and POST /reports/:id behind the middleware, answering the caller and the body the route read. */
const FRAMEWORKS: Array<[string, (authorizer: RequestAuthorizer) => Promise<{ url: string; close(): Promise<void> }>]> = [
  ['Express', async (authorizer) => {
    const app = express();
    const guard = castellanExpress({ authorizer, describe: (req) => describeReport(String(req.params['id']), req.method) });
    app.get('/reports/:id', guard, (_req, res) => void res.json({ caller: (res.locals['castellan'] as AuthorizationAnswer & { authenticated: true }).principal.arn }));
    // A body is hashed when the route reads it raw (express.raw) before the middleware.
    app.post('/reports/:id', express.raw({ type: '*/*' }), guard, (req, res) => void res.json({ caller: res.locals['castellan'].principal.arn, got: (req.body as Buffer).toString() }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
  }],
  ['Hono', async (authorizer) => {
    const app = new Hono();
    app.use('/reports/:id', castellanHono({ authorizer, describe: (c) => describeReport(c.req.param('id') ?? '', c.req.method) }));
    app.get('/reports/:id', (c) => c.json({ caller: (c.get('castellan' as never) as AuthorizationAnswer & { authenticated: true }).principal.arn }));
    app.post('/reports/:id', async (c) => c.json({ caller: (c.get('castellan' as never) as AuthorizationAnswer & { authenticated: true }).principal.arn, got: await c.req.text() }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
  }],
  ['Fastify', async (authorizer) => {
    const app = Fastify();
    // A body is hashed when it is parsed as a Buffer (JSON included: Fastify's own JSON parser replaced).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const preHandler = castellanFastify({ authorizer, describe: (req) => describeReport((req.params as { id: string }).id, req.method) });
    const caller = (req: unknown) => (req as { castellan: AuthorizationAnswer & { authenticated: true } }).castellan.principal.arn;
    app.get('/reports/:id', { preHandler }, async (req) => ({ caller: caller(req) }));
    app.post('/reports/:id', { preHandler }, async (req) => ({ caller: caller(req), got: (req.body as Buffer).toString() }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
  }],
];

beforeAll(async () => {
  t = await startTestCastellan();
  creds['service'] = await user('reports-service', policy({ Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*', Condition: { StringEquals: { 'castellan:SigningService': 'reports' } } }));
  creds['alice'] = await user('alice', policy({ Sid: 'Reports', Effect: 'Allow', Action: ['reports:GetReport', 'reports:PutReport'], Resource: 'arn:aws:reports:::report/*' }));
  creds['bob'] = await user('bob', policy({ Effect: 'Allow', Action: 'reports:GetReport', Resource: 'arn:aws:reports:::report/7' }));
});
afterAll(() => t?.dispose());

const MODES = [
  ['round trip', (c: CastellanAuthorizer): RequestAuthorizer => c],
  ['in process', (c: CastellanAuthorizer): RequestAuthorizer => new InProcessAuthorizer({ castellan: c, refreshAfterMs: 0 })],
] as const;

describe.each(FRAMEWORKS)('%s middleware with Castellan', (framework, start) => {
  describe.each(MODES)('(%s)', (mode, make) => {
    let castellan: CastellanAuthorizer;
    let authorizer: RequestAuthorizer;
    let app: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      castellan = new CastellanAuthorizer({ endpoint: t.url, service: 'reports', credentials: creds['service']! });
      authorizer = make(castellan);
      app = await start(authorizer);
    });
    afterAll(async () => {
      if (authorizer instanceof InProcessAuthorizer) await authorizer.flush();
      await app?.close();
      castellan?.close();
    });

    it('lets a curl-signed GET and POST through as the caller’s policy allows, and refuses what it does not', async () => {
      // Given alice, allowed every report, and bob, allowed report 7 only; curl declares no payload hash
      const alice = `arn:aws:iam::${A}:user/alice`;
      // When they ask, Then the route runs for what each may do, with the verified caller
      expect(await curl(`${app.url}/reports/42`, creds['alice']!)).toEqual({ status: 200, body: { caller: alice } });
      expect(await curl(`${app.url}/reports/42`, creds['alice']!)).toEqual({ status: 200, body: { caller: alice } });
      expect(await curl(`${app.url}/reports/42`, creds['alice']!, '{"title":"Q4"}')).toEqual({ status: 200, body: { caller: alice, got: '{"title":"Q4"}' } });
      expect(await curl(`${app.url}/reports/7`, creds['bob']!)).toEqual({ status: 200, body: { caller: `arn:aws:iam::${A}:user/bob` } });
      expect(await curl(`${app.url}/reports/42`, creds['bob']!)).toMatchObject({ status: 403, body: { __type: 'AccessDenied' } });
      expect(await curl(`${app.url}/reports/42`, { ...creds['alice']!, secretAccessKey: 'not-her-secret-000000000000000000000000' })).toMatchObject({ status: 403, body: { __type: 'SignatureDoesNotMatch' } });
    });

    it('records each decided request as a data event in the caller’s account', async () => {
      if (authorizer instanceof InProcessAuthorizer) await authorizer.flush();
      const name = `${framework}-${mode}`;
      const id = `event-${name.replace(/ /g, '-')}`;
      expect((await curl(`${app.url}/reports/${id}`, creds['alice']!)).status).toBe(200);
      if (authorizer instanceof InProcessAuthorizer) await authorizer.flush();
      let found: Array<Record<string, any>> = [];
      for (let i = 0; i < 50 && found.length === 0; i++) {
        const events = (await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetReport' }] }))).Events ?? [];
        found = events.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>).filter((r) => r['requestParameters']?.['id'] === id);
        if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ eventCategory: 'Data', eventSource: 'reports.amazonaws.com', userIdentity: { arn: `arn:aws:iam::${A}:user/alice` } });
    });
  });
});

describe('the in-process check’s cache', () => {
  it('follows a detached policy and a deactivated key within refreshAfterMs plus one request', async () => {
    // Given carol allowed by an attached managed policy, checked in process with snapshots refreshed after 300 ms
    const iam = t.iam();
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'read-reports', PolicyDocument: policy({ Effect: 'Allow', Action: 'reports:GetReport', Resource: '*' }) }))).Policy!.Arn!;
    const carol = await user('carol');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: arn }));
    const castellan = new CastellanAuthorizer({ endpoint: t.url, service: 'reports', credentials: creds['service']! });
    const local = new InProcessAuthorizer({ castellan, refreshAfterMs: 300 });
    const app = await FRAMEWORKS[0]![1](local);
    try {
      expect((await curl(`${app.url}/reports/1`, carol)).status).toBe(200);
      expect((await curl(`${app.url}/reports/1`, carol)).status).toBe(200);
      expect(local.stats.local).toBeGreaterThan(0);
      // When the policy is detached and refreshAfterMs has passed
      await iam.send(new DetachUserPolicyCommand({ UserName: 'carol', PolicyArn: arn }));
      await new Promise((r) => setTimeout(r, 400));
      // Then at most one more request is decided on the old snapshot; once its write-behind call is back, she is refused
      await curl(`${app.url}/reports/1`, carol);
      await local.flush();
      expect(await curl(`${app.url}/reports/1`, carol)).toMatchObject({ status: 403, body: { __type: 'AccessDenied' } });

      // And the same for her key, once allowed again and then deactivated
      await iam.send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: arn }));
      await new Promise((r) => setTimeout(r, 400));
      await curl(`${app.url}/reports/1`, carol);
      await local.flush();
      expect((await curl(`${app.url}/reports/1`, carol)).status).toBe(200);
      await iam.send(new UpdateAccessKeyCommand({ UserName: 'carol', AccessKeyId: carol.accessKeyId, Status: 'Inactive' }));
      await new Promise((r) => setTimeout(r, 400));
      await curl(`${app.url}/reports/1`, carol);
      await local.flush();
      expect(await curl(`${app.url}/reports/1`, carol)).toMatchObject({ status: 403, body: { __type: 'InvalidClientTokenId' } });
    } finally {
      await local.flush();
      await app.close();
      castellan.close();
    }
  });
});
