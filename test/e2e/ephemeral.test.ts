/**
 * `castellan serve --ephemeral`: state in memory, and `POST /_castellan/reset` returns the server to
 * its freshly bootstrapped state (same account and root key) so a test suite can start each test clean.
 */
import { request } from 'node:http';
import { CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { resolveConfig, startCastellan } from '@castellan/server';
import { stsClient } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, resetCastellan, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

describe('ephemeral mode', () => {
  let t: TestCastellan;
  beforeAll(async () => {
    t = await startTestCastellan({ ephemeral: true });
  });
  afterAll(async () => t?.dispose());

  it('reset empties the account and keeps its id and root credentials', async () => {
    await t.iam().send(new CreateUserCommand({ UserName: 'temp' }));
    expect((await t.iam().send(new ListUsersCommand({}))).Users).toHaveLength(1);

    const started = Date.now();
    const res = await resetCastellan(t.url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reset: true, accountId: E2E_ACCOUNT_ID });
    expect(Date.now() - started, 'a reset is meant for every test of a suite').toBeLessThan(2000);

    expect((await t.iam().send(new ListUsersCommand({}))).Users).toEqual([]);
    expect((await t.sts().send(new GetCallerIdentityCommand({}))).Account).toBe(E2E_ACCOUNT_ID);
  });

  it('refuses a reset a web page could send: no custom header, or a foreign Host', async () => {
    await t.iam().send(new CreateUserCommand({ UserName: 'kept' }));
    const simple = await fetch(`${t.url}/_castellan/reset`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(simple.status).toBe(403);
    // A DNS-rebound page reaches 127.0.0.1 with its own name in Host.
    const rebound = await new Promise<number>((resolve, reject) => {
      const url = new URL(t.url);
      const req = request({ host: url.hostname, port: url.port, path: '/_castellan/reset', method: 'POST', headers: { host: 'attacker.example', 'x-castellan-reset': '1' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
    expect((await t.iam().send(new ListUsersCommand({}))).Users?.map((u) => u.UserName)).toEqual(['kept']);
  });
});

describe('ephemeral mode with generated credentials', () => {
  it('reset keeps the generated account id and root key', async () => {
    const resolved = resolveConfig([{ ephemeral: true, port: 0, logLevel: 'silent', trailExportMinutes: 0 }]);
    if (!resolved.ok) throw new Error('bad config');
    const server = await startCastellan(resolved.config, { logger: pino({ level: 'silent' }) });
    try {
      const secret = server.bootstrap.rootSecretAccessKey;
      expect(secret).toBeDefined();
      const root = { accessKeyId: server.bootstrap.rootAccessKeyId!, secretAccessKey: secret! };
      const res = await resetCastellan(server.url);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { accountId: string }).accountId).toBe(server.accountId);
      const who = await stsClient(server.url, root).send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe(`arn:aws:iam::${server.accountId}:root`);
    } finally {
      await server.close();
    }
  });
});

describe('metrics', () => {
  it('are served only on their own listener, when a metrics port is given', async () => {
    const resolved = resolveConfig([{ ephemeral: true, port: 0, metricsPort: 0, logLevel: 'silent', trailExportMinutes: 0 }]);
    if (!resolved.ok) throw new Error('bad config');
    const server = await startCastellan(resolved.config, { logger: pino({ level: 'silent' }) });
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
      expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // A signed call goes through the access-key and principal caches, which /metrics reports.
      const sts = stsClient(server.url, { accessKeyId: server.bootstrap.rootAccessKeyId!, secretAccessKey: server.bootstrap.rootSecretAccessKey! });
      await sts.send(new GetCallerIdentityCommand({}));
      await sts.send(new GetCallerIdentityCommand({}));
      const res = await fetch(`${server.metricsUrl}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('castellan_request_duration_seconds');
      expect(text).toMatch(/^castellan_cache_entries\{cache="access_keys"\} 1$/m);
      expect(text).toMatch(/^castellan_cache_lookups_total\{cache="access_keys",result="miss"\} 1$/m);
      expect(text).toMatch(/^castellan_cache_lookups_total\{cache="access_keys",result="hit"\} 1$/m);
      expect(text).toMatch(/^castellan_cache_entries\{cache="principals"\} \d+$/m);
      expect(text).toMatch(/^castellan_cache_entries\{cache="users"\} \d+$/m);
    } finally {
      await server.close();
    }
  });
});

describe('persistent mode', () => {
  let t: TestCastellan;
  beforeAll(async () => {
    t = await startTestCastellan();
  });
  afterAll(async () => t?.dispose());

  it('has no reset endpoint', async () => {
    const res = await resetCastellan(t.url);
    expect(res.status).toBe(404);
  });

  it('a restart loses nothing that was acknowledged', async () => {
    await t.iam().send(new CreateUserCommand({ UserName: 'durable', Path: '/keep/' }));
    await t.restart();
    const users = (await t.iam().send(new ListUsersCommand({}))).Users ?? [];
    expect(users.map((u) => `${u.Path}${u.UserName}`)).toEqual(['/keep/durable']);
  });
});
