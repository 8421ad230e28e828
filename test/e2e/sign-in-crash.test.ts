/**
 * A console sign-in answered and then the server killed with SIGKILL: the attempt's ConsoleLogin
 * event is stored with what the attempt changed (the password's last use, the name's and the
 * address's failure counts), as a mutation's event is. The batch of read and refused records is
 * held back (a flush interval of a minute), so an event that was only queued would be lost here.
 * The server runs in a child process (the built `@castellan/server`) so it can be killed for real.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateLoginProfileCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyStoredChain } from '../../packages/server/src/audit/verify/verify-stored-chain.js';
import { loadOrCreateMasterKey } from '../../packages/server/src/crypto/master-key.js';
import { SecretBox } from '../../packages/server/src/crypto/secret-box.js';
import { PostgresStore } from '../../packages/server/src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../packages/server/src/store/sqlite/sqlite-store.js';
import type { Store } from '../../packages/server/src/store/store.js';
import { iamClient } from './helpers/aws-clients.js';
import { startChildServer } from './helpers/child-server.js';

const DIALECT = process.env['CASTELLAN_E2E_DIALECT'] === 'postgres' ? 'postgres' : 'sqlite';
const POSTGRES_URL = process.env['CASTELLAN_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ACCOUNT = '123456789012';
const ROOT = { accessKeyId: 'AKIASIGNINCRASH00001', secretAccessKey: 'sign-in-crash-root-secret-0123456789abc' };
const PASSWORD = 'Corr3ct-Horse-Battery!';

const dataDir = await mkdtemp(join(tmpdir(), 'castellan-sign-in-crash-'));
const schema = DIALECT === 'postgres' ? `signin_crash_${randomBytes(6).toString('hex')}` : undefined;
let child: ChildProcess | undefined;

/** Starts the built server on the test's data, its batched records flushed only once a minute. */
async function startChild(): Promise<string> {
  const settings = {
    host: '127.0.0.1', port: 0, dataDir, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey,
    logLevel: 'silent', trailExportMinutes: 0, auditFlushMs: 60_000, ...(schema ? { databaseUrl: POSTGRES_URL } : {}),
  };
  const server = startChildServer(settings, schema ? { postgresSchema: schema } : {});
  child = server.child;
  return server.url;
}

async function killChild(): Promise<void> {
  const exited = new Promise<void>((r) => child!.once('exit', () => r()));
  child!.kill('SIGKILL');
  await exited;
}

async function openStore(): Promise<Store> {
  const secretBox = new SecretBox((await loadOrCreateMasterKey(dataDir, {})).key);
  return schema
    ? PostgresStore.open({ url: POSTGRES_URL, schema, secretBox, maxConnections: 2, auditWorker: false })
    : SqliteStore.open({ filename: join(dataDir, 'castellan.db'), secretBox });
}

async function signIn(url: string, password: string): Promise<{ status: number; state: unknown }> {
  const res = await fetch(`${url}/signin`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: ACCOUNT, userName: 'alice', password }),
  });
  return { status: res.status, state: ((await res.json()) as { state?: unknown }).state };
}

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
  if (schema) {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
  }
});

describe('SIGKILL right after a console sign-in is answered', () => {
  it('keeps the ConsoleLogin event of a success and of a counted failure with what each changed', async () => {
    let url = await startChild();
    const iam = iamClient(url, ROOT);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: PASSWORD }));
    iam.destroy();

    // Given a failed sign-in answered, and the server killed at once
    expect(await signIn(url, 'wrong-password')).toEqual({ status: 401, state: 'FAILED' });
    await killChild();
    // And then a successful one on the restarted server, killed at once too
    url = await startChild();
    expect(await signIn(url, PASSWORD)).toEqual({ status: 200, state: 'SIGNED_IN' });
    await killChild();

    // Then both attempts' events are stored, with what each changed
    const store = await openStore();
    try {
      const events = (await store.scanAuditEvents({ fromSeq: 1, limit: 1000 })).filter((e) => e.eventName === 'ConsoleLogin');
      const outcomes = events.map((e) => (JSON.parse(e.recordJson) as { responseElements?: { ConsoleLogin?: string } }).responseElements?.ConsoleLogin);
      expect(outcomes).toEqual(['Failure', 'Success']);
      expect(events.map((e) => e.username)).toEqual(['alice', 'alice']);
      const alice = await store.getUserByName(ACCOUNT, 'alice');
      expect(alice?.passwordLastUsed).toBeDefined();
      // The success cleared the name's failures in the same transaction; the address's count stays
      expect(await store.getSignInFailures('sign-in-name', JSON.stringify([ACCOUNT, alice!.id]), new Date())).toBeUndefined();
      expect(await store.getSignInFailures('sign-in-address', '127.0.0.1', new Date())).toMatchObject({ failures: 1 });
      expect((await verifyStoredChain({ source: store })).findings).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
