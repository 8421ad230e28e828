/**
 * A server killed with SIGKILL while it is writing keeps every acknowledged mutation with its
 * audit event, and no event of a mutation that did not happen: a mutation and its event commit in
 * one transaction. The server runs in a child process (the built `@castellan/server`) so it can be
 * killed for real.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserCommand } from '@aws-sdk/client-iam';
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
const ROOT = { accessKeyId: 'AKIACRASHROOT0000001', secretAccessKey: 'crash-root-secret-0123456789abcdefghijk' };

let dataDir: string | undefined;
let schema: string | undefined;
let child: ChildProcess | undefined;

/** Starts the built server in a child process and resolves to its URL. */
async function startChild(): Promise<string> {
  const settings = {
    host: '127.0.0.1', port: 0, dataDir, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey,
    logLevel: 'silent', trailExportMinutes: 0, ...(schema ? { databaseUrl: POSTGRES_URL } : {}),
  };
  const server = startChildServer(settings, schema ? { postgresSchema: schema } : {});
  child = server.child;
  return server.url;
}

async function openStore(): Promise<Store> {
  // The server's master key (in its data folder): the audit chain is keyed with a key derived from it.
  const secretBox = new SecretBox((await loadOrCreateMasterKey(dataDir!, {})).key);
  return schema
    ? PostgresStore.open({ url: POSTGRES_URL, schema, secretBox, maxConnections: 2 })
    : SqliteStore.open({ filename: join(dataDir!, 'castellan.db'), secretBox });
}

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (schema) {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
  }
});

describe('SIGKILL in the middle of writes', () => {
  it('keeps every acknowledged mutation with its event, and no event without its mutation', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'castellan-crash-'));
    if (DIALECT === 'postgres') schema = `crash_${randomBytes(6).toString('hex')}`;
    const url = await startChild();
    const iam = iamClient(url, ROOT);
    // Given eight clients creating users as fast as they can
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    let failedInFlight = 0;
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));
    const worker = async (): Promise<void> => {
      while (!killed) {
        const name = `crash-user-${next++}`;
        try {
          await iam.send(new CreateUserCommand({ UserName: name }));
          acknowledged.push(name);
          // When the server is killed while requests are in flight
          if (acknowledged.length === 60 && !killed) {
            killed = true;
            child!.kill('SIGKILL');
          }
        } catch {
          // Requests in flight at the kill fail; whether they committed is checked below.
          failedInFlight++;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await exited;

    // Then, on the same data: every acknowledged user exists and has its CreateUser event
    const store = await openStore();
    try {
      const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 100_000 });
      const created = new Map<string, number>();
      for (const r of rows) {
        if (r.eventName !== 'CreateUser' || r.errorCode) continue;
        const name = (JSON.parse(r.recordJson) as { requestParameters: { userName: string } }).requestParameters.userName;
        created.set(name, (created.get(name) ?? 0) + 1);
      }
      expect(acknowledged.length).toBeGreaterThanOrEqual(60);
      expect(failedInFlight).toBeGreaterThan(0);
      for (const name of acknowledged) {
        expect(await store.getUserByName(ACCOUNT, name), name).toBeDefined();
        expect(created.get(name), name).toBe(1);
      }
      // And every successful CreateUser event has its user (none survives without its mutation)
      for (const name of created.keys()) expect(await store.getUserByName(ACCOUNT, name), name).toBeDefined();
      // And the chain is intact
      expect((await verifyStoredChain({ source: store })).findings).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
