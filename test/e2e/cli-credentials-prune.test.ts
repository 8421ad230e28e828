/**
 * `castellan credentials prune` against a running server whose clock the test moves back 100 days
 * while it creates old credentials: the dry run lists exactly the passwords and active keys unused
 * for 90 days (never used: counted from creation) and changes nothing; `--apply` deactivates those
 * keys and deletes those passwords through ordinary, audited IAM calls.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateAccessKeyCommand, CreateLoginProfileCommand, CreateUserCommand, GetAccessKeyLastUsedCommand, GetLoginProfileCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, stsClient, type StaticCredentials } from './helpers/aws-clients.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'packages/cli/bin/castellan.js');
const DAY = 24 * 60 * 60 * 1000;

let offset = 0;
let t: TestCastellan;
beforeAll(async () => {
  t = await startTestCastellan({}, { clock: { now: () => new Date(Date.now() + offset) } });
});
afterAll(async () => t?.dispose());

const client = (credentials: StaticCredentials = t.root) =>
  new IAMClient({ endpoint: t.url, region: 'us-east-1', credentials, maxAttempts: 1, systemClockOffset: offset });

/** Runs the real binary with the root's key in the environment (the AWS default chain). */
async function castellan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'credentials', 'prune', '--endpoint-url', t.url, ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: t.root.accessKeyId,
        AWS_SECRET_ACCESS_KEY: t.root.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function keyStatus(user: string): Promise<Record<string, string>> {
  const keys = (await client().send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? [];
  return Object.fromEntries(keys.map((k) => [k.AccessKeyId!, k.Status!]));
}

describe('castellan credentials prune', () => {
  it('lists what is unused for 90 days, changes nothing in a dry run, then deactivates keys and deletes passwords with --apply', async () => {
    // 100 days ago: "idle" gets a password and a key never used; "busy" a password and a key it uses today.
    offset = -100 * DAY;
    for (const name of ['idle', 'busy']) {
      await client().send(new CreateUserCommand({ UserName: name }));
      await client().send(new CreateLoginProfileCommand({ UserName: name, Password: 'Corr3ct-Horse!' }));
    }
    const idleKey = (await client().send(new CreateAccessKeyCommand({ UserName: 'idle' }))).AccessKey!;
    const busyKey = (await client().send(new CreateAccessKeyCommand({ UserName: 'busy' }))).AccessKey!;
    offset = 0;
    // Today: "fresh" gets a key; "busy" uses its key.
    await client().send(new CreateUserCommand({ UserName: 'fresh' }));
    const freshKey = (await client().send(new CreateAccessKeyCommand({ UserName: 'fresh' }))).AccessKey!;
    await stsClient(t.url, { accessKeyId: busyKey.AccessKeyId!, secretAccessKey: busyKey.SecretAccessKey! }).send(new GetCallerIdentityCommand({}));
    for (const until = Date.now() + 8000; !(await client().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: busyKey.AccessKeyId! }))).AccessKeyLastUsed?.LastUsedDate;) {
      if (Date.now() > until) throw new Error('the key use was not recorded in time');
      await new Promise((r) => setTimeout(r, 100));
    }

    const dry = await castellan('--unused-days', '90');
    expect(dry.code).toBe(0);
    const listed = dry.stdout.trim().split('\n');
    expect(listed.slice(0, -1).sort()).toEqual([
      expect.stringMatching(/^access key \S+ of idle: never used, created \S+ \(100 day\(s\) ago\)$/),
      expect.stringMatching(/^password of busy: never used, created \S+ \(100 day\(s\) ago\)$/),
      expect.stringMatching(/^password of idle: never used, created \S+ \(100 day\(s\) ago\)$/),
    ]);
    expect(dry.stdout).toContain(idleKey.AccessKeyId!);
    expect(listed.at(-1)).toBe('2 password(s) and 1 access key(s) unused for 90 day(s) or more. Dry run: nothing was changed; run again with --apply to deactivate the keys and delete the passwords.');
    expect(await keyStatus('idle')).toEqual({ [idleKey.AccessKeyId!]: 'Active' });
    await client().send(new GetLoginProfileCommand({ UserName: 'idle' }));

    const applied = await castellan('--unused-days', '90', '--apply');
    expect(applied.code).toBe(0);
    expect(applied.stdout.trim().split('\n').at(-1)).toBe('2 password(s) and 1 access key(s) unused for 90 day(s) or more: deactivated 1 access key(s), deleted 2 password(s).');
    expect(await keyStatus('idle')).toEqual({ [idleKey.AccessKeyId!]: 'Inactive' });
    expect(await keyStatus('busy')).toEqual({ [busyKey.AccessKeyId!]: 'Active' });
    expect(await keyStatus('fresh')).toEqual({ [freshKey.AccessKeyId!]: 'Active' });
    for (const name of ['idle', 'busy']) {
      expect(await sdkError(() => client().send(new GetLoginProfileCommand({ UserName: name })))).toMatchObject({ name: 'NoSuchEntityException' });
    }
    // Each change is an audited IAM call made by the caller.
    const events = (await t.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 })).map((e) => JSON.parse(e.recordJson));
    const changes = events.filter((e) => e.eventName === 'UpdateAccessKey' || e.eventName === 'DeleteLoginProfile');
    expect(changes.map((e) => [e.eventName, e.requestParameters.userName, e.errorCode ?? null]).sort()).toEqual([
      ['DeleteLoginProfile', 'busy', null],
      ['DeleteLoginProfile', 'idle', null],
      ['UpdateAccessKey', 'idle', null],
    ]);

    // Nothing is left to prune; a bad number of days is a usage error.
    expect((await castellan('--unused-days', '90')).stdout.trim()).toBe('0 password(s) and 0 access key(s) unused for 90 day(s) or more. Dry run: nothing was changed; run again with --apply to deactivate the keys and delete the passwords.');
    const bad = await castellan('--unused-days', 'ninety');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--unused-days <days>' argument 'ninety' is invalid. It must be a whole number of days.");
  });
});
