/**
 * Two nodes on one PostgreSQL schema, and node A killed with SIGKILL between the COMMIT of a
 * change and the step after it (where it tells its own caches, and where it used to send the other
 * nodes their notification): node B still stops accepting what the change revoked within a second,
 * because the notification was sent inside the change's transaction and delivered by PostgreSQL
 * when it committed. Node A is the built `@castellan/server` in a child process whose change feed
 * kills the process at that step; node B is a server in this process.
 *
 * It is about PostgreSQL whichever dialect the e2e project runs, so it runs once, in `e2e`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { DeleteUserPolicyCommand, ListGroupsCommand, UpdateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, startCastellan, type CastellanServer } from '@castellan/server';
import { dropSchema, E2E_POSTGRES_URL } from './helpers/postgres.js';
import { iamClient, sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, E2E_DIALECT, E2E_ROOT } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const REPO = new URL('../../', import.meta.url).pathname;
const FEED_MODULE = pathToFileURL(join(REPO, 'packages/server/dist/store/postgres/postgres-change-feed.js')).href;
const LIST_GROUPS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' }] });

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe.skipIf(E2E_DIALECT === 'postgres')('several nodes: a node killed right after its commit', () => {
  const schema = `e2e_notify_${randomBytes(6).toString('hex')}`;
  const masterKey = randomBytes(32).toString('hex');
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  let b: CastellanServer;

  const settings = (dataDir: string) => ({
    host: '127.0.0.1', port: 0, dataDir, databaseUrl: E2E_POSTGRES_URL, masterKey, accountId: E2E_ACCOUNT_ID,
    rootAccessKeyId: E2E_ROOT.accessKeyId, rootSecretAccessKey: E2E_ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0,
    rateLimitPerKey: 0, rateLimitPerAddress: 0,
  });

  /**
   * Node A in a child process: its change feed is the PostgreSQL one, except that the first
   * post-commit publish of a change of scope `killOn` kills the process with SIGKILL before it runs.
   */
  async function startNodeA(killOn: string): Promise<{ url: string; child: ChildProcess }> {
    const dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-notify-a-'));
    dirs.push(dataDir);
    const script = `
      const { resolveConfig, startCastellan } = await import('@castellan/server');
      const { PostgresChangeFeed } = await import(${JSON.stringify(FEED_MODULE)});
      const r = resolveConfig([${JSON.stringify(settings(dataDir))}]);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      const real = new PostgresChangeFeed({ url: ${JSON.stringify(E2E_POSTGRES_URL)}, schema: ${JSON.stringify(schema)} });
      const changeFeed = new Proxy(real, {
        get(target, prop) {
          if (prop === 'publish') {
            return (changes, ...rest) => {
              if (changes.some((c) => c.scope === ${JSON.stringify(killOn)})) process.kill(process.pid, 'SIGKILL');
              return target.publish(changes, ...rest);
            };
          }
          const value = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const s = await startCastellan(r.config, { postgresSchema: ${JSON.stringify(schema)}, changeFeed });
      process.stdout.write(JSON.stringify({ url: s.url }) + '\\n');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`node A exited with ${code} before listening`)));
      lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    });
    return { url, child };
  }

  beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-notify-b-'));
    dirs.push(dataDir);
    const resolved = resolveConfig([settings(dataDir)]);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    b = await startCastellan(resolved.config, { postgresSchema: schema, logger: pino({ level: 'silent' }) });
  });

  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGKILL');
      await exited(child);
    }
    await b?.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    await dropSchema(schema);
  });

  /** Retries `probe` until it passes or `withinMs` has gone by. */
  async function within(withinMs: number, probe: () => Promise<void>): Promise<void> {
    const started = Date.now();
    for (;;) {
      try {
        return await probe();
      } catch (err) {
        if (Date.now() - started > withinMs) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  it.each([
    {
      name: 'a deactivated access key',
      killOn: 'access-key',
      mutate: (iam: IAMClient, userName: string, accessKeyId: string) => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' })),
      refusal: { name: 'InvalidClientTokenId', status: 403 },
    },
    {
      name: 'a deleted inline policy',
      killOn: 'principal',
      mutate: (iam: IAMClient, userName: string) => iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: 'p' })),
      refusal: { name: 'AccessDenied', status: 403 },
    },
  ])('$name stops working on node B within a second', async ({ killOn, mutate, refusal }) => {
    // Given a user allowed ListGroups by an inline policy, with a key, made through node B
    const userName = `u-${killOn}`;
    const user = await createUserWithKey(iamClient(b.url, E2E_ROOT), userName, LIST_GROUPS);
    const a = await startNodeA(killOn);
    // And both nodes have served the key (its key and principal are cached on each)
    for (const url of [a.url, b.url]) await iamClient(url, user).send(new ListGroupsCommand({}));

    // When node A commits the change and dies before anything runs after its commit
    const answer = mutate(iamClient(a.url, E2E_ROOT), userName, user.accessKeyId).then(() => 'answered', () => 'failed');
    await exited(a.child);
    expect(a.child.signalCode).toBe('SIGKILL');
    expect(await answer).toBe('failed');

    // Then node B refuses the call within a second, and still a while later
    await within(1_000, async () => {
      expect(await sdkError(() => iamClient(b.url, user).send(new ListGroupsCommand({})))).toMatchObject(refusal);
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await sdkError(() => iamClient(b.url, user).send(new ListGroupsCommand({})))).toMatchObject(refusal);
  });
});
