/**
 * Root's access key is made at the account's first start only. Deleting it, as AWS's best
 * practice 1 asks, lasts across restarts: the next start makes none and says how to get one; the
 * operator makes one on purpose with the `castellan` binary (`root create-access-key`), which prints
 * it once and records root's CreateAccessKey in the trail, and later starts name that key. On the
 * e2e project's dialect (both run it), with a server of generated (not configured) root credentials.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DeleteAccessKeyCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, startCastellan, type CastellanServer } from '@castellan/server';
import { cloudTrailClient, iamClient, stsClient, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_DIALECT } from './helpers/castellan.js';
import { dropSchema, E2E_POSTGRES_URL } from './helpers/postgres.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'packages/cli/bin/castellan.js');

let dataDir: string;
let schema: string | undefined;
let server: CastellanServer;
let firstKey: StaticCredentials;

async function start(): Promise<CastellanServer> {
  const resolved = resolveConfig([{ host: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', trailExportMinutes: 0, ...(schema ? { databaseUrl: E2E_POSTGRES_URL } : {}) }]);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  return startCastellan(resolved.config, { logger: pino({ level: 'silent' }), ...(schema ? { postgresSchema: schema } : {}) });
}
const where = (): string[] => ['--data-dir', dataDir, ...(schema ? ['--database-url', E2E_POSTGRES_URL, '--schema', schema] : [])];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-rootkey-'));
  if (E2E_DIALECT === 'postgres') schema = `e2e_${randomBytes(6).toString('hex')}`;
  server = await start();
  expect(server.bootstrap).toMatchObject({ createdAccount: true, createdKey: true });
  firstKey = { accessKeyId: server.bootstrap.rootAccessKeyId!, secretAccessKey: server.bootstrap.rootSecretAccessKey! };
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
  if (schema) await dropSchema(schema);
});

describe('root access key after the first start', () => {
  it('a start after root deleted its only key makes none, and says root is keyless', async () => {
    await iamClient(server.url, firstKey).send(new DeleteAccessKeyCommand({ AccessKeyId: firstKey.accessKeyId }));
    await server.close();
    server = await start();
    expect(server.bootstrap).toEqual({ accountId: server.accountId, createdAccount: false, createdKey: false, rootKeyless: true });
    await server.close();
    server = await start();
    expect(server.bootstrap).toMatchObject({ rootKeyless: true });
    expect(server.bootstrap.rootSecretAccessKey).toBeUndefined();
  });

  it('castellan root create-access-key prints a working key once, recorded as root\'s CreateAccessKey without its secret', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'root', 'create-access-key', '--json', ...where()], { env: { ...process.env, CASTELLAN_MASTER_KEY: '' } });
    const made = JSON.parse(stdout) as { AccountId: string; AccessKeyId: string; SecretAccessKey: string };
    expect(made).toMatchObject({ AccountId: server.accountId, AccessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/) });
    const key = { accessKeyId: made.AccessKeyId, secretAccessKey: made.SecretAccessKey };
    expect(await stsClient(server.url, key).send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: `arn:aws:iam::${server.accountId}:root` });
    expect((await iamClient(server.url, key).send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([made.AccessKeyId]);
    const events = (await cloudTrailClient(server.url, key).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAccessKey' }] }))).Events ?? [];
    const record = events.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>).find((r) => r['userAgent'] === 'castellan-cli');
    expect(record).toMatchObject({ userIdentity: { type: 'Root' }, responseElements: { accessKey: { accessKeyId: made.AccessKeyId, status: 'Active' } } });
    expect(JSON.stringify(record)).not.toContain(made.SecretAccessKey);
  });

  it('castellan root set-password is recorded as root\'s PasswordUpdated (sign-in\'s event), a refused password as a failure, never the password', async () => {
    const setPassword = (password: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, [CLI, 'root', 'set-password', ...where()], { env: { ...process.env, CASTELLAN_MASTER_KEY: '' } }, (err, _stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stderr }));
        child.stdin!.end(`${password}\n`);
      });
    const refused = 'tiny-pw';
    const password = 'R00t-Changed-Passw0rd!';
    expect(await setPassword(refused)).toMatchObject({ code: 3, stderr: expect.stringContaining('password policy') });
    expect(await setPassword(password)).toMatchObject({ code: 0 });
    // Root's own key to look the events up with (deleted after: root keeps its quota of two for the next test).
    const lookup = await run(process.execPath, [CLI, 'root', 'create-access-key', '--json', ...where()], { env: { ...process.env, CASTELLAN_MASTER_KEY: '' } }).then((r) => JSON.parse(r.stdout) as { AccessKeyId: string; SecretAccessKey: string });
    const lookupCreds = { accessKeyId: lookup.AccessKeyId, secretAccessKey: lookup.SecretAccessKey };
    const records = ((await cloudTrailClient(server.url, lookupCreds).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PasswordUpdated' }] }))).Events ?? [])
      .map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>);
    await iamClient(server.url, lookupCreds).send(new DeleteAccessKeyCommand({ AccessKeyId: lookup.AccessKeyId }));
    expect(records).toHaveLength(2);
    const root = { type: 'Root', arn: `arn:aws:iam::${server.accountId}:root`, accountId: server.accountId };
    expect(records.find((r) => r['responseElements']?.PasswordUpdated === 'Success')).toMatchObject({
      eventSource: 'signin.amazonaws.com', eventName: 'PasswordUpdated', eventType: 'AwsConsoleSignIn', awsRegion: 'us-east-1',
      userIdentity: root, requestParameters: null, userAgent: 'castellan-cli', recipientAccountId: server.accountId,
    });
    expect(records.find((r) => r['responseElements']?.PasswordUpdated === 'Failure')).toMatchObject({ userIdentity: root, errorMessage: expect.stringContaining('password policy') });
    for (const text of records.map((r) => JSON.stringify(r))) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(refused);
    }
  });

  it('the next start names the operator\'s key and makes none', async () => {
    const keys = (await run(process.execPath, [CLI, 'root', 'create-access-key', '--json', ...where()], { env: { ...process.env, CASTELLAN_MASTER_KEY: '' } }).then((r) => JSON.parse(r.stdout))) as { AccessKeyId: string };
    await server.close();
    server = await start();
    expect(server.bootstrap).toMatchObject({ createdKey: false });
    expect(server.bootstrap.rootKeyless).toBeUndefined();
    expect(server.bootstrap.rootSecretAccessKey).toBeUndefined();
    expect(typeof server.bootstrap.rootAccessKeyId).toBe('string');
    // AWS's quota: root has at most two access keys.
    const third = await run(process.execPath, [CLI, 'root', 'create-access-key', ...where()], { env: { ...process.env, CASTELLAN_MASTER_KEY: '' } }).catch((e: { code: number; stderr: string }) => e);
    expect(third).toMatchObject({ code: 3, stderr: expect.stringContaining('AccessKeysPerUser') });
    expect(keys.AccessKeyId).toMatch(/^AKIA/);
  });
});
