/**
 * The database knows which master key it was made with (`master_key_check` in `meta`): a node or
 * command holding another key is refused with "wrong master key" before it uses the database (a
 * second node started without CASTELLAN_MASTER_KEY generates its own key file and is refused too),
 * and the commands that work on an existing deployment refuse a place that holds no Castellan
 * database rather than create one there. On the e2e project's dialect (both run it).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, startCastellan, type CastellanServer } from '@castellan/server';
import { stsClient } from './helpers/aws-clients.js';
import { parseMasterKey } from '../../packages/server/src/crypto/master-key.js';
import { SecretBox } from '../../packages/server/src/crypto/secret-box.js';
import { createStore } from '../../packages/server/src/store/create-store.js';
import { MASTER_KEY_CHECK_META, masterKeyCheck } from '../../packages/server/src/store/master-key-check.js';
import type { Store } from '../../packages/server/src/store/store.js';
import { E2E_DIALECT } from './helpers/castellan.js';
import { dropSchema, E2E_POSTGRES_URL } from './helpers/postgres.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'packages/cli/bin/castellan.js');
const WRONG_KEY = randomBytes(32).toString('hex');

let dataDir: string;
let otherDir: string;
let schema: string | undefined;
let server: CastellanServer | undefined;

const dbSettings = () => (schema ? { databaseUrl: `${E2E_POSTGRES_URL}?schema=${schema}` } : {});
async function start(dir: string, masterKey?: string): Promise<CastellanServer> {
  const resolved = resolveConfig([{ host: '127.0.0.1', port: 0, dataDir: dir, logLevel: 'silent', trailExportMinutes: 0, ...dbSettings(), ...(masterKey ? { masterKey } : {}) }]);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  return startCastellan(resolved.config, { logger: pino({ level: 'silent' }) });
}
const where = (dir = dataDir): string[] => ['--data-dir', dir, ...(schema ? ['--database-url', E2E_POSTGRES_URL, '--schema', schema] : [])];
/** Runs the `castellan` binary; resolves to its exit code and output (a failure is not thrown). */
const cli = (args: string[], env: Record<string, string> = {}) =>
  // A server that does start is stopped after 20 s rather than outlive the test.
  run(process.execPath, [CLI, ...args], { env: { ...process.env, CASTELLAN_MASTER_KEY: '', ...env }, timeout: 20_000 })
    .then((r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-mkcheck-'));
  otherDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-mkcheck-other-'));
  if (E2E_DIALECT === 'postgres') schema = `e2e_${randomBytes(6).toString('hex')}`;
  server = await start(dataDir);
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(otherDir, { recursive: true, force: true });
  if (schema) await dropSchema(schema);
});

describe('the master key is checked against the database', () => {
  it('a server with another master key does not start, naming the wrong key', async () => {
    await expect(start(dataDir, WRONG_KEY)).rejects.toThrow(/wrong master key/);
    // The first node is unharmed.
    const key = { accessKeyId: server!.bootstrap.rootAccessKeyId!, secretAccessKey: server!.bootstrap.rootSecretAccessKey! };
    expect((await stsClient(server!.url, key).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${server!.accountId}:root`);
  });

  it('castellan serve with another key exits 3 with "cannot start: wrong master key"', async () => {
    // On PostgreSQL: a second node with a data folder of its own and no CASTELLAN_MASTER_KEY (it
    // generates a master.key of its own). On SQLite: the first node's folder with a key given.
    const args = ['serve', '--port', '0', '--log-level', 'silent', '--trail-export-minutes', '0', ...(schema ? ['--data-dir', otherDir, '--database-url', `${E2E_POSTGRES_URL}?schema=${schema}`] : ['--data-dir', dataDir])];
    const res = await cli(args, schema ? {} : { CASTELLAN_MASTER_KEY: WRONG_KEY });
    expect(res.stderr).toContain('castellan serve: cannot start: wrong master key');
    expect(res.code).toBe(3);
  });

  it('castellan account create with another key refuses and makes no account', async () => {
    const res = await cli(['account', 'create', ...where()], { CASTELLAN_MASTER_KEY: WRONG_KEY });
    expect(res).toMatchObject({ code: 3, stdout: '' });
    expect(res.stderr).toContain('wrong master key');
    const listed = await cli(['account', 'list', '--json', ...where()]);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { Accounts: unknown[] }).Accounts).toHaveLength(1);
  });

  it('castellan trail verify with another key says "wrong master key", not that records were modified', async () => {
    const res = await cli(['trail', 'verify', '--no-export', ...where()], { CASTELLAN_MASTER_KEY: WRONG_KEY });
    expect(res.stderr).toContain('wrong master key');
    expect(res.stdout + res.stderr).not.toContain('record-modified');
    expect(res.code).toBe(3);
    const right = await cli(['trail', 'verify', '--no-export', ...where()]);
    expect(right.code).toBe(0);
  });

  it('on a database from before the check, a wrong key is told by the root key it cannot open; the right one writes the check', async () => {
    await server!.close();
    server = undefined;
    const rightKey = (await readFile(join(dataDir, 'master.key'), 'utf8')).trim();
    const meta = async (run: (store: Store) => Promise<string | undefined | boolean>) => {
      const store = await createStore(schema ? { kind: 'postgres', url: E2E_POSTGRES_URL, schema } : { kind: 'sqlite', filename: join(dataDir, 'castellan.db') }, { secretBox: new SecretBox(parseMasterKey(rightKey, 'key')) });
      try {
        return await run(store);
      } finally {
        await store.close();
      }
    };
    expect(await meta((store) => store.deleteMeta(MASTER_KEY_CHECK_META))).toBe(true);
    await expect(start(dataDir, WRONG_KEY)).rejects.toThrow(/wrong master key/);
    expect(await meta((store) => store.getMeta(MASTER_KEY_CHECK_META))).toBeUndefined();
    server = await start(dataDir);
    expect(await meta((store) => store.getMeta(MASTER_KEY_CHECK_META))).toBe(masterKeyCheck(parseMasterKey(rightKey, 'key')));
  });

  it('the data folder\'s own key still works for the commands', async () => {
    expect((await readFile(join(dataDir, 'master.key'), 'utf8')).trim()).not.toBe('');
    expect((await cli(['account', 'list', ...where()])).code).toBe(0);
  });
});

describe('the account and workload commands on a place with no Castellan database', () => {
  it('refuse it as trail verify does, and create nothing there', async () => {
    const empty = E2E_DIALECT === 'postgres' ? `e2e_${randomBytes(6).toString('hex')}` : undefined;
    const emptyDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-mkcheck-empty-'));
    const client = new pg.Client({ connectionString: E2E_POSTGRES_URL });
    try {
      if (empty) {
        await client.connect();
        await client.query(`create schema ${empty}`);
      }
      // On SQLite, a folder with no database (the key given, so the database is what is missing).
      const location = empty ? ['--data-dir', dataDir, '--database-url', E2E_POSTGRES_URL, '--schema', empty] : ['--data-dir', emptyDir];
      for (const args of [['account', 'list'], ['account', 'create'], ['workload', 'list'], ['trail', 'verify', '--no-export']]) {
        const res = await cli([...args, ...location], empty ? {} : { CASTELLAN_MASTER_KEY: WRONG_KEY });
        expect(res.stderr, args.join(' ')).toContain('no Castellan database');
        expect(res.code, args.join(' ')).not.toBe(0);
      }
      if (empty) {
        const { rows } = await client.query<{ n: string }>('select count(*) as n from information_schema.tables where table_schema = $1', [empty]);
        expect(Number(rows[0]!.n)).toBe(0);
      }
    } finally {
      if (empty) {
        await client.query(`drop schema if exists ${empty} cascade`);
        await client.end();
      }
      await rm(emptyDir, { recursive: true, force: true });
    }
  });
});
