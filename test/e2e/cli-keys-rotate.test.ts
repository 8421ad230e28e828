/**
 * `castellan keys rotate` against a running server: the staged rotation (a second key, printed once;
 * the old one deactivated only once the caller confirms everything uses the new one) with a client
 * signing requests all along and never failing; the refusal when two keys exist; `--delete-old`,
 * `--deactivate-old` and `--retire` through the real binary and the AWS default credential chain;
 * the unconfirmed rotation finished later by `--deactivate KEYID`, as its printed hint says, and only
 * once the new key has been used (a key whose secret was lost never takes the old one's place).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateAccessKeys } from '../../packages/cli/src/commands/keys-rotate.js';
import { memoryIo } from '../../packages/cli/src/commands/test-cli-io.js';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'packages/cli/bin/castellan.js');

let t: TestCastellan;
beforeAll(async () => {
  t = await startTestCastellan();
});
afterAll(async () => t?.dispose());

/** Runs the real binary with the root's key in the environment (the AWS default chain). */
async function castellan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'keys', 'rotate', '--endpoint-url', t.url, ...args], {
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

function newKeyIn(text: string): StaticCredentials {
  return { accessKeyId: /AccessKeyId: (\S+)/.exec(text)![1]!, secretAccessKey: /SecretAccessKey: (\S+)/.exec(text)![1]! };
}

async function statuses(user: string): Promise<Record<string, string>> {
  const keys = (await t.iam().send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? [];
  return Object.fromEntries(keys.map((k) => [k.AccessKeyId!, k.Status!]));
}

describe('castellan keys rotate', () => {
  it('rotates while a client keeps signing requests, without one failure; the old key is refused afterwards', async () => {
    await t.iam().send(new CreateUserCommand({ UserName: 'svc' }));
    const { AccessKey } = await t.iam().send(new CreateAccessKeyCommand({ UserName: 'svc' }));
    let current: StaticCredentials = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    const old = current;
    let calls = 0;
    const failures: string[] = [];
    let running = true;
    const client = (async () => {
      while (running) {
        try {
          await t.sts(current).send(new GetCallerIdentityCommand({}));
          calls++;
        } catch (e) {
          failures.push(String(e));
        }
        // A steady client, within the server's 100 requests per second per key: the rotation
        // waits seconds for the new key's recorded use, and a flood would be throttled meanwhile.
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const io = memoryIo({});
    const iam = new IAMClient({ region: 'us-east-1', endpoint: t.url, credentials: t.root });
    const code = await rotateAccessKeys(iam, { user: 'svc' }, {
      ...io,
      // The operator confirms once the client uses the new key.
      confirm: async () => {
        current = newKeyIn(io.stdout.join('\n'));
        const seen = calls;
        while (calls < seen + 5) await new Promise((r) => setTimeout(r, 10));
        return true;
      },
    });
    const after = calls;
    while (calls < after + 5) await new Promise((r) => setTimeout(r, 10));
    running = false;
    await client;
    expect(code).toBe(0);
    expect(failures).toEqual([]);
    expect(io.stdout.join('\n')).toContain(`Deactivated the old key ${old.accessKeyId}`);
    expect(await statuses('svc')).toEqual({ [old.accessKeyId]: 'Inactive', [current.accessKeyId]: 'Active' });
    expect(await sdkError(() => t.sts(old).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId' });
    const audit = (await t.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 })).map((e) => e.recordJson).join('\n');
    expect(audit).toContain('"eventName":"UpdateAccessKey"');
    expect(audit).not.toContain(current.secretAccessKey);
  });

  it('through the binary: refuses a user with two keys, deletes inactive ones later, rotates with --deactivate-old and --retire', async () => {
    const refused = await castellan('--user', 'svc');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already has two access keys .*--retire KEYID/);
    const before = await statuses('svc');
    const [inactive] = Object.keys(before).filter((k) => before[k] === 'Inactive');
    const deleted = await castellan('--user', 'svc', '--delete-old');
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted inactive key ${inactive}.\n` });
    const [active] = Object.keys(await statuses('svc'));

    const rotated = await castellan('--user', 'svc', '--deactivate-old');
    expect(rotated.code).toBe(0);
    const k3 = newKeyIn(rotated.stdout);
    expect(rotated.stdout.match(/SecretAccessKey:/g)).toHaveLength(1);
    expect(await statuses('svc')).toEqual({ [active!]: 'Inactive', [k3.accessKeyId]: 'Active' });
    expect(await t.sts(k3).send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: expect.stringMatching(/:user\/svc$/) });

    const retired = await castellan('--user', 'svc', '--retire', active!, '--deactivate-old');
    expect(retired.code).toBe(0);
    expect(retired.stdout).toContain(`Deleted retired key ${active}.`);
    const k4 = newKeyIn(retired.stdout);
    expect(await statuses('svc')).toEqual({ [k3.accessKeyId]: 'Inactive', [k4.accessKeyId]: 'Active' });

    const none = await castellan('--user', 'nobody');
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/NoSuchEntity/);
  });
  it('a run without confirmation leaves both keys active; the exact command it prints deactivates the old key once the new one has been used', async () => {
    await t.iam().send(new CreateUserCommand({ UserName: 'web' }));
    const { AccessKey } = await t.iam().send(new CreateAccessKeyCommand({ UserName: 'web' }));
    const first: StaticCredentials = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    await t.sts(first).send(new GetCallerIdentityCommand({}));
    // Not a terminal (no confirm): the old key stays Active and the output says how to go on.
    const staged = await castellan('--user', 'web');
    expect(staged.code).toBe(0);
    const second = newKeyIn(staged.stdout);
    const hint = `castellan keys rotate --user web --deactivate ${first.accessKeyId}`;
    expect(staged.stdout).toContain(hint);
    expect(await statuses('web')).toEqual({ [first.accessKeyId]: 'Active', [second.accessKeyId]: 'Active' });

    // --deactivate-old does not pick a key once two exist: it names the command.
    const guessed = await castellan('--user', 'web', '--deactivate-old');
    expect(guessed.code).toBe(1);
    expect(guessed.stderr).toContain(hint);
    // The new key has not been used yet: refused, nothing changed.
    const early = await castellan(...hint.split(' ').slice(3));
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(new RegExp(`other key ${second.accessKeyId} has never been used.*retry shortly`));
    expect(await statuses('web')).toEqual({ [first.accessKeyId]: 'Active', [second.accessKeyId]: 'Active' });

    await t.sts(second).send(new GetCallerIdentityCommand({}));
    const deactivated = await castellan(...hint.split(' ').slice(3));
    expect(deactivated).toMatchObject({ code: 0, stderr: '' });
    expect(deactivated.stdout).not.toContain('SecretAccessKey');
    expect(deactivated.stdout).toMatch(new RegExp(`Old key ${first.accessKeyId}: last used \\d{4}-\\d\\d-\\d\\dT.* \\(sts, us-east-1\\)`));
    expect(deactivated.stdout).toContain(`Deactivated the old key ${first.accessKeyId}; ${second.accessKeyId} stays Active.`);
    expect(await statuses('web')).toEqual({ [first.accessKeyId]: 'Inactive', [second.accessKeyId]: 'Active' });
    expect(await t.sts(second).send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: expect.stringMatching(/:user\/web$/) });

    // Nothing to do any more: refused, nothing changed.
    const again = await castellan(...hint.split(' ').slice(3));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is already Inactive/);
    const only = await castellan('--user', 'web', '--deactivate', second.accessKeyId);
    expect(only.code).toBe(1);
    expect(only.stderr).toMatch(/only active key of user web/);
    expect(await statuses('web')).toEqual({ [first.accessKeyId]: 'Inactive', [second.accessKeyId]: 'Active' });
  });

  it('a confirmation before the new key has been used leaves the old key Active, says so and names the command', async () => {
    await t.iam().send(new CreateUserCommand({ UserName: 'hasty' }));
    const first = (await t.iam().send(new CreateAccessKeyCommand({ UserName: 'hasty' }))).AccessKey!.AccessKeyId!;
    const io = memoryIo({});
    const iam = new IAMClient({ region: 'us-east-1', endpoint: t.url, credentials: t.root });
    // The operator answers yes at once: nothing has used the new key.
    const code = await rotateAccessKeys(iam, { user: 'hasty' }, { ...io, confirm: async () => true });
    const second = newKeyIn(io.stdout.join('\n'));
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toContain(`the new key ${second.accessKeyId} has not been used yet, so the old key was not deactivated`);
    expect(io.stderr.join('\n')).toContain(`castellan keys rotate --user hasty --deactivate ${first}`);
    expect(await statuses('hasty')).toEqual({ [first]: 'Active', [second.accessKeyId]: 'Active' });
  });

  it('a rerun after a lost CreateAccessKey answer keeps the only working key (the reviewer\'s case)', async () => {
    await t.iam().send(new CreateUserCommand({ UserName: 'batch' }));
    const working = (await t.iam().send(new CreateAccessKeyCommand({ UserName: 'batch' }))).AccessKey!;
    await t.sts({ accessKeyId: working.AccessKeyId!, secretAccessKey: working.SecretAccessKey! }).send(new GetCallerIdentityCommand({}));
    // The first run's CreateAccessKey succeeded but its answer (the secret) never arrived.
    const lost = (await t.iam().send(new CreateAccessKeyCommand({ UserName: 'batch' }))).AccessKey!;
    const rerun = await castellan('--user', 'batch', '--deactivate-old');
    expect(rerun.code).toBe(1);
    const named = await castellan('--user', 'batch', '--deactivate', working.AccessKeyId!);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain(`castellan keys rotate --user batch --retire ${lost.AccessKeyId}`);
    expect(await statuses('batch')).toEqual({ [working.AccessKeyId!]: 'Active', [lost.AccessKeyId!]: 'Active' });
    expect(await castellan('--user', 'batch', '--deactivate', working.AccessKeyId!, '--delete-old')).toMatchObject({ code: 2 });
  });
});
