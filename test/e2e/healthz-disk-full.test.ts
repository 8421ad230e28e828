/**
 * `/healthz` on a server whose disk is full: the built server runs in a child process whose file
 * size limit (RLIMIT_FSIZE, lowered with `prlimit` while it runs) refuses every write into its
 * SQLite files, as a full disk does (SQLite reports SQLITE_FULL or SQLITE_IOERR_WRITE); reads
 * still answer. On PostgreSQL the disk is the database server's, out of this process's reach: the
 * same path is covered there by the audit log's unit test with PostgreSQL's disk-full SQLSTATE, and
 * this file is left out of the e2e-postgres project (vitest.config.ts).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, describe, expect, it } from 'vitest';
import { cloudTrailClient, iamClient, sdkError, stsClient } from './helpers/aws-clients.js';
import { startChildServer } from './helpers/child-server.js';

const run = promisify(execFile);
const ACCOUNT = '123456789012';
const ROOT = { accessKeyId: 'AKIAFULLDISKROOT0001', secretAccessKey: 'full-disk-root-secret-0123456789abcdefgh' };

let dataDir: string | undefined;
let child: ChildProcess | undefined;

/** Starts the built server on SQLite in a child process and resolves to its URL. */
async function startChild(): Promise<string> {
  const settings = {
    host: '127.0.0.1', port: 0, dataDir, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey,
    logLevel: 'silent', trailExportMinutes: 0, auditFlushMs: 50, healthAuditFailureSeconds: 1,
  };
  const server = startChildServer(settings);
  child = server.child;
  return server.url;
}

/** Sets the child's file size limit (soft; the hard limit stays unlimited, so it can be raised again). */
const fileSizeLimit = (soft: string) => run('prlimit', ['--pid', String(child!.pid), `--fsize=${soft}:unlimited`]);

/** `/healthz` once its status is `status`, polled (the audit writes fail, then succeed, on the server's own timer). */
async function healthWhen(url: string, status: number): Promise<{ status: number; body: Record<string, unknown> }> {
  for (let i = 0; ; i++) {
    const res = await fetch(`${url}/healthz`);
    const answer = { status: res.status, body: (await res.json()) as Record<string, unknown> };
    if (answer.status === status || i === 100) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('/healthz when the disk is full', () => {
  it('answers 503 degraded with the store\'s code once audit writes have failed for the delay, and ok again once space is back, losing no record', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'castellan-full-disk-'));
    const url = await startChild();
    const sts = stsClient(url, ROOT);
    await sts.send(new GetCallerIdentityCommand({}));
    expect(await healthWhen(url, 200)).toEqual({ status: 200, body: { status: 'ok' } });

    // Given a disk that takes no more writes
    await fileSizeLimit('1');
    // When reads still answer (their records wait) and a mutation fails
    const whileFull = 3;
    for (let i = 0; i < whileFull; i++) await sts.send(new GetCallerIdentityCommand({}));
    expect(await sdkError(() => iamClient(url, ROOT).send(new CreateUserCommand({ UserName: 'no-room' })))).toMatchObject({ name: 'ServiceUnavailable', status: 503 });
    // Then, the audit writes failing past the delay, the node is out of rotation, saying why
    const degraded = await healthWhen(url, 503);
    expect(degraded).toMatchObject({ status: 503, body: { status: 'degraded', reason: 'audit-writes-failing', storeErrorCode: expect.stringMatching(/^SQLITE_(FULL|IOERR)/) } });
    expect(degraded.body['failingForSeconds']).toBeGreaterThanOrEqual(1);

    // When space is back
    await fileSizeLimit('unlimited');
    // Then the node is ok again, and the records of the reads made meanwhile are in the trail
    expect(await healthWhen(url, 200)).toEqual({ status: 200, body: { status: 'ok' } });
    const events = (await cloudTrailClient(url, ROOT).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }] }))).Events ?? [];
    expect(events.length).toBeGreaterThanOrEqual(1 + whileFull);
  });
});
