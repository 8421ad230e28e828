/**
 * Another process holding SQLite's write lock on a running server's database (`BEGIN IMMEDIATE`
 * in a `sqlite3` shell, a backup tool, a second server pointed at the same folder) for longer than
 * the server's busy timeout (5 s): the mutation that waited answers AWS's `ServiceFailure`, reads go
 * on, nothing acknowledged is lost, and once the lock is released the server writes again and the
 * records of the reads made meanwhile are in the trail. The server is the built `@castellan/server`
 * in a child process; the lock is held by another Node process with better-sqlite3 for 8 s (3 s of room on a loaded machine for the calls to start waiting).
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
    setTimeout(() => { db.exec('rollback'); db.close(); }, ${ms});`;
  const holder = spawn(process.execPath, ['-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    holder.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
    createInterface({ input: holder.stdout! }).once('line', resolve);
  });
  return holder;
}

describe.skipIf(E2E_DIALECT === 'postgres')('SQLite locked by another process', () => {
  const children: ChildProcess[] = [];
  let dataDir: string | undefined;

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('past the busy timeout, the waiting mutation answers ServiceFailure, reads go on, and once the lock is released nothing is missing', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-sqlite-lock-'));
    const server = startChildServer({
      host: '127.0.0.1', port: 0, dataDir, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey,
      logLevel: 'error', trailExportMinutes: 0, auditFlushMs: 50,
    });
    children.push(server.child);
    let log = '';
    server.child.stdout!.on('data', (chunk: Buffer) => { log += chunk.toString(); });
    const url = await server.url;
    const iam = iamClient(url, ROOT);
    const sts = stsClient(url, ROOT);
    await iam.send(new CreateUserCommand({ UserName: 'before' }));

    // Given another process holds the write lock for longer than the busy timeout (5 s)
    const holder = await holdWriteLock(join(dataDir, 'castellan.db'), 8_000);
    children.push(holder);
    let releasedAt = Infinity;
    const released = new Promise((r) => holder.once('exit', () => r(releasedAt = Date.now())));
    // When a mutation and a read are made
    const [mutation, read] = await Promise.all([
      sdkError(() => iam.send(new CreateUserCommand({ UserName: 'while-locked' }))),
      sts.send(new GetCallerIdentityCommand({})).then((answer) => ({ ...answer, answeredAt: Date.now() })),
    ]);
    // Then the mutation answers AWS's 500, saying nothing of SQLite, and the read its answer
    expect(mutation).toMatchObject({ name: expect.stringMatching(/^ServiceFailure/), status: 500 });
    expect(mutation.message).not.toMatch(/sqlite|locked|busy/i);
    expect(read.Account).toBe(ACCOUNT);
    // And the operator's log says what happened
    expect(log).toContain('the SQLite database stayed locked by another process past the busy timeout');

    // When the lock is released
    await released;
    // (the read was answered while the lock was still held)
    expect(read.answeredAt).toBeLessThan(releasedAt);
    // Then the server writes again without a restart, and the read's record was kept and written
    await iam.send(new CreateUserCommand({ UserName: 'after' }));
    const users = (await iam.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
    expect(users).toEqual(expect.arrayContaining(['before', 'after']));
    expect(users).not.toContain('while-locked');
    const lookup = async () => (await cloudTrailClient(url, ROOT).send(new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }],
    }))).Events ?? [];
    for (let i = 0; (await lookup()).length < 1; i++) {
      if (i > 50) throw new Error('the read made while the database was locked has no record');
      await new Promise((r) => setTimeout(r, 100));
    }
    const failed = (await cloudTrailClient(url, ROOT).send(new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }],
    }))).Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as { errorCode?: string; requestParameters?: { userName?: string } });
    // The refused mutation is in the trail too, with its error
    expect(failed.find((e) => e.requestParameters?.userName === 'while-locked')?.errorCode).toMatch(/ServiceFailure/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 30_000);
});
