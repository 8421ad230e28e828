/**
 * `castellan trail export` and `castellan trail verify`, the built binary, on the data folder of a
 * real server: an untouched trail verifies (exit 0), and each kind of tampering is reported (exit
 * 1). SQLite only: the data folder is copied per case (the e2e-postgres project skips `cli-*`).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CreateGroupCommand, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import BetterSqlite3 from 'better-sqlite3';
import { exportTrail, loadOrCreateSigningKey, openAuditStore } from '@castellan/server/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const run = promisify(execFile);
const BIN = new URL('../../packages/cli/bin/castellan.js', import.meta.url).pathname;

let t: TestCastellan;
let scratch: string;

/** Runs the built `castellan` and returns its exit code and output. */
async function castellan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, CASTELLAN_DATA_DIR: '' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A copy of the server's data folder, exported, for one case. */
async function copy(name: string): Promise<string> {
  const dir = join(scratch, name);
  await cp(t.config.dataDir, dir, { recursive: true });
  return dir;
}

async function files(dir: string, suffix: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(suffix)) out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}

function sql(dir: string, ...statements: string[]): void {
  const db = new BetterSqlite3(join(dir, 'castellan.db'));
  try {
    for (const s of statements) db.exec(s);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'castellan-cli-trail-'));
  // Given a server that served a few calls, then stopped
  t = await startTestCastellan();
  const iam = t.iam();
  for (let i = 0; i < 5; i++) await iam.send(new CreateUserCommand({ UserName: `cli-user-${i}` }));
  await iam.send(new CreateGroupCommand({ GroupName: 'cli-group' }));
  await iam.send(new ListUsersCommand({}));
  await t.server.close();
  // And its trail exported with the CLI
  const exported = await castellan('trail', 'export', '--data-dir', t.config.dataDir, '--region', 'eu-west-1');
  expect(exported.code).toBe(0);
  expect(exported.stdout).toMatch(/^exported \d+ event\(s\) in \d+ log file\(s\)/);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('castellan trail export (the binary)', () => {
  it('names digests for the trail and the home region given, as the server does with --region', async () => {
    const digests = (await files(join(t.config.dataDir, 'trail'), '.json.gz')).filter((x) => x.includes('/CloudTrail-Digest/'));
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatch(/_CloudTrail-Digest_[a-z0-9-]+_castellan_eu-west-1_\d{8}T\d{6}Z\.json\.gz$/);
  });

  it('undoes an export killed before its digest, then verifies with each event once', async () => {
    // Given a data folder whose export was killed after its first log file (nothing exported before)
    const dir = await copy('killed-export');
    await rm(join(dir, 'trail'), { recursive: true });
    const store = await openAuditStore({ dataDir: dir });
    try {
      const killed = exportTrail({
        source: store, exportDir: join(dir, 'trail'), signingKey: await loadOrCreateSigningKey(dir), clock: { now: () => new Date() }, trailName: 'castellan', homeRegion: 'eu-west-1',
        maxRecordsPerFile: 2, onStep: (s) => { if (s === 'log-file') throw new Error('killed'); },
      });
      await expect(killed).rejects.toThrow('killed');
    } finally {
      await store.close();
    }
    // Then verify warns about the unfinished export and finds nothing
    const before = await castellan('trail', 'verify', '--data-dir', dir);
    expect(before.code).toBe(0);
    expect(before.stderr).toContain('was written by an export that did not finish');
    // When the binary exports: Then it says it undid the killed run, and the trail verifies
    const r = await castellan('trail', 'export', '--data-dir', dir, '--region', 'eu-west-1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^an earlier export was killed before its digests: removed its 1 log file\(s\), their events are exported again\n/);
    const after = await castellan('trail', 'verify', '--data-dir', dir);
    expect([after.code, after.stderr]).toEqual([0, '']);
    const ids: string[] = [];
    for (const f of (await files(join(dir, 'trail'), '.json.gz')).filter((x) => x.includes('/CloudTrail/'))) {
      ids.push(...(JSON.parse(gunzipSync(await readFile(f)).toString('utf8')) as { Records: { eventID: string }[] }).Records.map((x) => x.eventID));
    }
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses a region that is not one', async () => {
    const r = await castellan('trail', 'export', '--data-dir', await copy('bad-region'), '--region', 'EU WEST');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--region `EU WEST` is not a region name');
  });
});

describe('castellan trail verify (the binary)', () => {
  it('passes on an untouched trail with exit code 0', async () => {
    const r = await castellan('trail', 'verify', '--data-dir', t.config.dataDir);
    expect(r.stdout).toMatch(/^trail verified: \d+ stored event\(s\) checked, 1 digest\(s\) and 1 log file\(s\) checked$/m);
    expect(r.code).toBe(0);
  });

  const cases: { name: string; tamper: (dir: string) => Promise<void>; kinds: string[] }[] = [
    { name: 'edit a record', tamper: async (d) => sql(d, `update audit_events set record = replace(record, 'cli-user-2', 'cli-user-X') where record like '%cli-user-2%'`), kinds: ['record-modified'] },
    { name: 'delete one', tamper: async (d) => sql(d, 'delete from audit_events where seq = 3'), kinds: ['record-deleted'] },
    { name: 'swap two', tamper: async (d) => sql(d, 'update audit_events set seq = -2 where seq = 2', 'update audit_events set seq = 2 where seq = 4', 'update audit_events set seq = 4 where seq = -2'), kinds: ['record-reordered', 'record-reordered'] },
    {
      name: 'edit an exported file',
      tamper: async (d) => {
        const [f] = await files(join(d, 'trail'), '.json.gz').then((fs) => fs.filter((x) => x.includes('/CloudTrail/')));
        await writeFile(f!, gzipSync(gunzipSync(await readFile(f!)).toString('utf8').replace('cli-user-1', 'cli-user-Y')));
      },
      kinds: ['file-modified'],
    },
    {
      name: 'remove a digest',
      tamper: async (d) => {
        const [digest] = await files(join(d, 'trail'), '.json.gz').then((fs) => fs.filter((x) => x.includes('/CloudTrail-Digest/')));
        await unlink(digest!);
      },
      kinds: ['file-unlisted'],
    },
  ];
  for (const c of cases) {
    it(`reports: ${c.name} (exit code 1)`, async () => {
      const dir = await copy(c.name.replace(/\W+/g, '-'));
      await c.tamper(dir);
      const r = await castellan('trail', 'verify', '--data-dir', dir);
      expect(r.code).toBe(1);
      const kinds = r.stdout.split('\n').filter((l) => l.includes('\t')).map((l) => l.split('\t')[0]);
      expect(kinds).toEqual(c.kinds);
    });
  }
});
