/**
 * Another process holding SQLite's write lock on a running server's database (`BEGIN IMMEDIATE`
 * in a `sqlite3` shell, a backup tool, a `castellan` command writing beside `serve`): the server's
 * request thread never waits for it. A mutation waits on a timer, up to the busy timeout (5 s), and
 * succeeds once the lock is released, or past it answers AWS's `ServiceFailure` having done
 * nothing; meanwhile reads, `/healthz` and their records go on, and nothing acknowledged is lost.
 * The server is the built `@castellan/server` in a child process; the lock is held by another Node
 * process with better-sqlite3.
 *
 * It is about SQLite whichever dialect the e2e project runs, so it runs once, in `e2e`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { cloudTrailClient, iamClient, sdkError, stsClient } from './helpers/aws-clients.js';
import { E2E_DIALECT } from './helpers/castellan.js';
import { startChildServer } from './helpers/child-server.js';

const REPO = new URL('../../', import.meta.url).pathname;
const ACCOUNT = '123456789012';
const ROOT = { accessKeyId: 'AKIASQLITELOCKROOT01', secretAccessKey: 'sqlite-lock-root-secret-0123456789abcde' };

/** Holds the write lock of `file` from another process for `ms`; resolves once it is held, with the process. */
async function holdWriteLock(file: string, ms: number): Promise<ChildProcess> {
  const script = `const db = new (require('better-sqlite3'))(${JSON.stringify(file)});
    db.exec('begin immediate'); console.log('locked');
    setTimeout(() => { console.log('releasing ' + Date.now()); db.exec('rollback'); db.close(); }, ${ms});`;
  const holder = spawn(process.execPath, ['-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    holder.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
    createInterface({ input: holder.stdout! }).once('line', resolve);
  });
  return holder;
}

describe.skipIf(E2E_DIALECT === 'postgres')('SQLite locked by another process', () => {
  const children: ChildProcess[] = [];
  const dataDirs: string[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  async function startServer() {
    const dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-sqlite-lock-'));
    dataDirs.push(dataDir);
    const server = startChildServer({
      host: '127.0.0.1', port: 0, dataDir, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey,
      logLevel: 'error', trailExportMinutes: 0, auditFlushMs: 50,
    });
    children.push(server.child);
    const output = { log: '' };
    server.child.stdout!.on('data', (chunk: Buffer) => { output.log += chunk.toString(); });
    const url = await server.url;
    const iam = iamClient(url, ROOT);
    await iam.send(new CreateUserCommand({ UserName: 'before' }));
    return { url, iam, output, file: join(dataDir, 'castellan.db') };
  }

  /**
   * Holds the lock for `ms`; resolves with when it was released, as the holder's clock read it just
   * before its rollback (its exit, or its line reaching this process, can come after a write that
   * the release let through has already been answered).
   */
  async function lockFor(file: string, ms: number): Promise<{ released: Promise<number> }> {
    const holder = await holdWriteLock(file, ms);
    children.push(holder);
    const released = new Promise<number>((resolve, reject) => {
      createInterface({ input: holder.stdout! }).on('line', (line) => {
        const at = /^releasing (\d+)$/.exec(line);
        if (at) resolve(Number(at[1]));
      });
      holder.once('exit', () => reject(new Error('the lock holder exited without releasing')));
    });
    return { released };
  }

  /** Reads made while the lock is held, 200 ms after it was taken: each answered, and when. */
  async function readsWhileLocked(url: string): Promise<number[]> {
    await new Promise((r) => setTimeout(r, 200));
    const sent = Date.now();
    const answered = await Promise.all([
      stsClient(url, ROOT).send(new GetCallerIdentityCommand({})).then((a) => { expect(a.Account).toBe(ACCOUNT); return Date.now(); }),
      iamClient(url, ROOT).send(new ListUsersCommand({})).then((a) => { expect(a.Users!.map((u) => u.UserName)).toContain('before'); return Date.now(); }),
      fetch(`${url}/healthz`).then(async (r) => { expect([r.status, await r.json()]).toEqual([200, { status: 'ok' }]); return Date.now(); }),
    ]);
    // Promptly: a request thread waiting in SQLite's busy handler answered them only after 5 s.
    for (const at of answered) expect(at - sent).toBeLessThan(2_000);
    return answered;
  }

  /** The CloudTrail records of CreateUser for `userName` (waiting for the batched ones). */
  async function createUserRecords(url: string, userName: string, atLeast: number) {
    for (let i = 0; ; i++) {
      const events = (await cloudTrailClient(url, ROOT).send(new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }],
      }))).Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as { errorCode?: string; requestParameters?: { userName?: string } })
        .filter((e) => e.requestParameters?.userName === userName);
      if (events.length >= atLeast || i > 50) return events;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('a mutation waits for the lock and succeeds once it is released, while reads and /healthz answer at once', async () => {
    const { url, iam, file } = await startServer();
    // Given another process holds the write lock for 2.5 s (within the busy timeout)
    const { released } = await lockFor(file, 2_500);
    // When a mutation is made, and reads meanwhile
    const mutation = iam.send(new CreateUserCommand({ UserName: 'while-locked' })).then(() => Date.now());
    const reads = await readsWhileLocked(url);
    // Then the reads were answered while the lock was held, and the mutation once it was released
    const releasedAt = await released;
    for (const at of reads) expect(at).toBeLessThan(releasedAt);
    expect(await mutation).toBeGreaterThanOrEqual(releasedAt);
    const users = (await iam.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
    expect(users).toEqual(expect.arrayContaining(['before', 'while-locked']));
    // And its record says it succeeded
    expect((await createUserRecords(url, 'while-locked', 1)).map((e) => e.errorCode)).toEqual([undefined]);
  }, 30_000);

  it('past the busy timeout, the waiting mutation answers ServiceFailure having done nothing, and once the lock is released nothing is missing', async () => {
    const { url, iam, output, file } = await startServer();
    // Given another process holds the write lock for 8 s, longer than the busy timeout (5 s)
    const { released } = await lockFor(file, 8_000);
    // When a mutation is made, and reads meanwhile
    const mutation = sdkError(() => iam.send(new CreateUserCommand({ UserName: 'too-late' }))).then((err) => ({ ...err, answeredAt: Date.now() }));
    const reads = await readsWhileLocked(url);
    // Then the mutation answers AWS's 500 while the lock is still held, saying nothing of SQLite
    const failed = await mutation;
    expect(failed).toMatchObject({ name: expect.stringMatching(/^ServiceFailure/), status: 500 });
    expect(failed.message).not.toMatch(/sqlite|locked|busy/i);
    // And the operator's log says what happened (the child's output may arrive after the answer)
    for (let i = 0; i < 50 && !output.log.includes('stayed locked'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output.log).toContain('the SQLite database stayed locked by another process past the busy timeout');

    // When the lock is released
    const releasedAt = await released;
    for (const at of [...reads, failed.answeredAt]) expect(at).toBeLessThan(releasedAt);
    // Then the server writes again without a restart, and the failed mutation left nothing behind
    await iam.send(new CreateUserCommand({ UserName: 'after' }));
    const users = (await iam.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
    expect(users).toEqual(expect.arrayContaining(['before', 'after']));
    expect(users).not.toContain('too-late');
    // The failed mutation has one record, with its error; the reads made meanwhile theirs
    expect((await createUserRecords(url, 'too-late', 1)).map((e) => e.errorCode)).toEqual([expect.stringMatching(/^ServiceFailure/)]);
    const readRecords = await cloudTrailClient(url, ROOT).send(new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }],
    }));
    expect(readRecords.Events!.length).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
