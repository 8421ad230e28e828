/**
 * Another process holding SQLite's write lock on a running server's database (`BEGIN IMMEDIATE`
 * in a `sqlite3` shell, a backup tool, a `castellan` command writing beside `serve`): the server's
 * request thread never waits for it. A mutation waits on a timer, up to the busy timeout (5 s), and
 * succeeds once the lock is released, or past it answers AWS's `ServiceUnavailable` (503, which
 * SDKs and the CLI retry) having done nothing; meanwhile reads, `/healthz` and their records go on,
 * and nothing acknowledged is lost.
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
import { AddTagsCommand, CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCli } from './helpers/aws-cli.js';
import { cloudTrailClient, iamClient, sdkError, stsClient } from './helpers/aws-clients.js';
import { E2E_DIALECT } from './helpers/castellan.js';
import { startChildServer } from './helpers/child-server.js';

const REPO = new URL('../../', import.meta.url).pathname;
const ACCOUNT = '123456789012';
const ROOT = { accessKeyId: 'AKIASQLITELOCKROOT01', secretAccessKey: 'sqlite-lock-root-secret-0123456789abcde' };
/** AWS's text for `ServiceUnavailable` (its common errors): nothing of SQLite's. */
const UNAVAILABLE_TEXT = 'The request has failed due to a temporary failure of the server.';

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

  /** Starts a server; `busyTimeoutMs` replaces the default bound of 5 s on waiting for the lock. */
  async function startServer(busyTimeoutMs?: number) {
    const dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-sqlite-lock-'));
    dataDirs.push(dataDir);
    const server = startChildServer({
      host: '127.0.0.1', port: 0, dataDir, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey,
      logLevel: 'error', trailExportMinutes: 0, auditFlushMs: 50,
    }, busyTimeoutMs === undefined ? {} : { sqliteBusyTimeoutMs: busyTimeoutMs });
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

  /** The CloudTrail records of CreateUser for `userName` (waiting for the batched ones), oldest first. */
  async function createUserRecords(url: string, userName: string, atLeast: number) {
    return (await records(url, 'CreateUser', atLeast, (e) => e.requestParameters?.['userName'] === userName));
  }

  /** The CloudTrail records of `eventName` that `keep` keeps (waiting for the batched ones), oldest first. */
  async function records(url: string, eventName: string, atLeast: number, keep: (e: { requestParameters?: Record<string, unknown> }) => boolean = () => true) {
    for (let i = 0; ; i++) {
      const events = (await cloudTrailClient(url, ROOT).send(new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
      }))).Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as { errorCode?: string; errorMessage?: string; requestParameters?: Record<string, unknown> })
        .filter(keep).reverse();
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

  it('past the busy timeout, the waiting mutation answers ServiceUnavailable having done nothing, and once the lock is released nothing is missing', async () => {
    const { url, iam, output, file } = await startServer();
    // Given another process holds the write lock for 8 s, longer than the busy timeout (5 s)
    const { released } = await lockFor(file, 8_000);
    // When a mutation is made, and reads meanwhile
    const mutation = sdkError(() => iam.send(new CreateUserCommand({ UserName: 'too-late' }))).then((err) => ({ ...err, answeredAt: Date.now() }));
    const reads = await readsWhileLocked(url);
    // Then the mutation answers AWS's 503 while the lock is still held, saying nothing of SQLite
    const failed = await mutation;
    expect(failed).toMatchObject({ name: 'ServiceUnavailable', status: 503, message: UNAVAILABLE_TEXT });
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
    expect((await createUserRecords(url, 'too-late', 1)).map((e) => [e.errorCode, e.errorMessage])).toEqual([['ServiceUnavailable', UNAVAILABLE_TEXT]]);
    const readRecords = await cloudTrailClient(url, ROOT).send(new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }],
    }));
    expect(readRecords.Events!.length).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('with a short bound, Query and JSON 1.1 calls past it answer 503 ServiceUnavailable, recorded so; SDK v3 and CLI retries succeed once the lock is released', async () => {
    // Given a server whose writes wait 300 ms at most, and another process holding the lock for 6 s
    // (long enough for the CLI, which takes a second or two to start, to meet it)
    const { url, iam, output, file } = await startServer(300);
    const { released } = await lockFor(file, 6_000);
    const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/castellan`;
    // When clients that do not retry make a mutation on each protocol
    const query = sdkError(() => iam.send(new CreateUserCommand({ UserName: 'unavailable-query' })));
    const json = sdkError(() => cloudTrailClient(url, ROOT).send(new AddTagsCommand({ ResourceId: TRAIL, TagsList: [{ Key: 'k', Value: 'v' }] })));
    // And clients that retry as they do by default (more attempts, to outlast the lock) make theirs
    const retryingIam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 30 });
    const sdk = retryingIam.send(new CreateUserCommand({ UserName: 'retried-sdk' })).then(() => Date.now());
    const retryingTrail = new CloudTrailClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 30 });
    const sdkJson = retryingTrail.send(new AddTagsCommand({ ResourceId: TRAIL, TagsList: [{ Key: 'retried', Value: 'sdk' }] })).then(() => Date.now());
    const cli = awsCli(url, ROOT, ['iam', 'create-user', '--user-name', 'retried-cli'], { AWS_MAX_ATTEMPTS: '30', AWS_RETRY_MODE: 'standard' }).then((r) => ({ ...r, at: Date.now() }));

    // Then those that do not retry answer AWS's 503 and text, Receiver's fault, while the lock is held
    for (const failed of [await query, await json]) expect(failed).toMatchObject({ name: 'ServiceUnavailable', status: 503, message: UNAVAILABLE_TEXT });
    const releasedAt = await released;
    // And the retrying ones succeed, once the lock is released
    expect(await sdk).toBeGreaterThanOrEqual(releasedAt);
    expect(await sdkJson).toBeGreaterThanOrEqual(releasedAt);
    const cliAnswer = await cli;
    expect(cliAnswer).toMatchObject({ ok: true });
    expect(cliAnswer.at).toBeGreaterThanOrEqual(releasedAt);
    const users = (await iam.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
    expect(users).toEqual(expect.arrayContaining(['retried-sdk', 'retried-cli']));
    expect(users).not.toContain('unavailable-query');

    // And the trail records each refused attempt as ServiceUnavailable, each retried call's last attempt as a success
    expect((await createUserRecords(url, 'unavailable-query', 1)).map((e) => [e.errorCode, e.errorMessage])).toEqual([['ServiceUnavailable', UNAVAILABLE_TEXT]]);
    for (const name of ['retried-sdk', 'retried-cli']) {
      const codes = (await createUserRecords(url, name, 2)).map((e) => e.errorCode);
      expect({ name, codes }).toEqual({ name, codes: expect.arrayContaining([undefined, 'ServiceUnavailable']) });
      expect(codes.slice(0, -1).every((c) => c === 'ServiceUnavailable')).toBe(true);
      expect(codes.at(-1)).toBeUndefined();
    }
    const tagged = (await records(url, 'AddTags', 3)).map((e) => e.errorCode);
    expect(tagged.filter((c) => c === 'ServiceUnavailable').length).toBeGreaterThanOrEqual(2);
    expect(tagged.filter((c) => c === undefined)).toHaveLength(1);
    // And the operator's log says why
    for (let i = 0; i < 50 && !output.log.includes('stayed locked'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output.log).toContain('the SQLite database stayed locked by another process past the busy timeout (300 ms)');
  }, 60_000);
});
