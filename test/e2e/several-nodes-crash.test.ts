/**
 * Two `castellan serve` nodes on one PostgreSQL schema, written to at once, and one of them killed
 * with SIGKILL in the middle: the other keeps answering, every mutation either node acknowledged
 * is stored with its audit event, and the hash chain both nodes appended to verifies. Each node is
 * the built `@castellan/server` in a child process, so it can be killed for real.
 *
 * It is about PostgreSQL whichever dialect the e2e project runs, so it runs once, in `e2e`.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyStoredChain } from '../../packages/server/src/audit/verify/verify-stored-chain.js';
import { parseMasterKey } from '../../packages/server/src/crypto/master-key.js';
import { SecretBox } from '../../packages/server/src/crypto/secret-box.js';
import { PostgresStore } from '../../packages/server/src/store/postgres/postgres-store.js';
import { dropSchema, E2E_POSTGRES_URL } from './helpers/postgres.js';
import { iamClient } from './helpers/aws-clients.js';
import { E2E_DIALECT } from './helpers/castellan.js';
import { startChildServer } from './helpers/child-server.js';

const ACCOUNT = '123456789012';
const ROOT = { accessKeyId: 'AKIANODESROOT0000001', secretAccessKey: 'nodes-root-secret-0123456789abcdefghijk' };

describe.skipIf(E2E_DIALECT === 'postgres')('several nodes: one killed with SIGKILL while both write', () => {
  const schema = `e2e_crash_${randomBytes(6).toString('hex')}`;
  const masterKey = randomBytes(32).toString('hex');
  const children: ChildProcess[] = [];
  const dirs: string[] = [];

  /** Starts a node in a child process and resolves to its URL. */
  async function startNode(): Promise<{ url: string; child: ChildProcess }> {
    const dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-crash-node-'));
    dirs.push(dataDir);
    const settings = {
      host: '127.0.0.1', port: 0, dataDir, databaseUrl: E2E_POSTGRES_URL, masterKey, accountId: ACCOUNT,
      rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0,
      rateLimitPerKey: 0, rateLimitPerAddress: 0,
    };
    const server = startChildServer(settings, { postgresSchema: schema }, { closeOnSigterm: true });
    const child = server.child;
    children.push(child);
    const url = await server.url;
    return { url, child };
  }

  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGKILL');
      await exited(child);
    }
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    await dropSchema(schema);
  });

  it('the survivor answers every call; every acknowledged CreateUser is stored with its event; the chain verifies', async () => {
    // Given two nodes started at once on an empty schema
    const [a, b] = await Promise.all([startNode(), startNode()]);
    const acknowledged: string[] = [];
    const survivorErrors: unknown[] = [];
    let writing = true;
    const writer = async (url: string, name: string, onError: (err: unknown) => 'stop' | 'go on') => {
      const iam = iamClient(url, ROOT);
      for (let i = 0; writing; i++) {
        const userName = `${name}-${i}`;
        try {
          await iam.send(new CreateUserCommand({ UserName: userName }));
          acknowledged.push(userName);
        } catch (err) {
          if (onError(err) === 'stop') break;
        }
      }
      iam.destroy();
    };

    // When both take CreateUser calls from three writers each, and B is killed halfway
    const writers = [0, 1, 2].flatMap((w) => [
      writer(a.url, `a${w}`, (err) => { survivorErrors.push(err); return 'go on'; }),
      writer(b.url, `b${w}`, () => 'stop'),
    ]);
    await new Promise((r) => setTimeout(r, 1_500));
    b.child.kill('SIGKILL');
    await exited(b.child);
    const acknowledgedBeforeKill = acknowledged.length;
    await new Promise((r) => setTimeout(r, 1_500));
    writing = false;
    await Promise.all(writers);
    a.child.kill('SIGTERM');
    await exited(a.child);

    // Then A answered every call, before and after the kill
    expect(survivorErrors).toEqual([]);
    expect(acknowledged.filter((n) => n.startsWith('b')).length).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(acknowledgedBeforeKill);
    // And every acknowledged user is stored with its CreateUser event, in a chain that verifies
    const store = await PostgresStore.open({ url: E2E_POSTGRES_URL, schema, secretBox: new SecretBox(parseMasterKey(masterKey, 'test')), maxConnections: 2 });
    try {
      const users = await store.listUsers({ accountId: ACCOUNT, maxItems: 1000 });
      const stored = new Set(users.items.map((u) => u.name));
      expect(acknowledged.filter((n) => !stored.has(n))).toEqual([]);
      const events = await store.scanAuditEvents({ fromSeq: 1, limit: 100_000 });
      const recorded = new Set(events.filter((e) => e.eventName === 'CreateUser' && e.errorCode === undefined)
        .map((e) => (JSON.parse(e.recordJson) as { requestParameters?: { userName?: string } }).requestParameters?.userName));
      expect(acknowledged.filter((n) => !recorded.has(n))).toEqual([]);
      const verified = await verifyStoredChain({ source: store });
      expect(verified.findings).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
