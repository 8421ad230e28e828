/**
 * The README's quick start, as a newcomer runs it: `castellan serve` on a fresh data folder prints
 * the root key once and an AWS CLI example; the real AWS CLI v2 (`/usr/bin/aws`, Debian's awscli)
 * then works against it. A restart keeps everything and does not print the secret again; SIGTERM
 * shuts down cleanly.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, awsCli } from './helpers/aws-cli.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'packages/cli/bin/castellan.js');

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  keyId: string;
  secret?: string;
}

/** Starts `castellan serve` and waits for its banner. */
async function serve(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const deadline = Date.now() + 30_000;
  while (!/aws --endpoint-url \S+ sts get-caller-identity/.test(out)) {
    if (child.exitCode !== null) throw new Error(`castellan serve exited ${child.exitCode}: ${out}`);
    if (Date.now() > deadline) throw new Error(`no banner after 30 s: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
  const keyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(out)![1]!;
  const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(out)![1]!;
  return { child, output: () => out, url, keyId, ...(secret.startsWith('<') ? {} : { secret }) };
}

async function stop(s: Started): Promise<number | null> {
  if (s.child.exitCode !== null) return s.child.exitCode;
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGTERM');
  return exited;
}

describe('README quick start with the AWS CLI', () => {
  let dataDir: string;
  let first: Started;
  let secret: string;
  /**
   * The CLI's JSON output; a refusal rejects with its error output as `stderr`. With the CLI's own
   * retries, as a newcomer runs it (one attempt adds "reached max retries: 0" to its errors).
   */
  const aws = async (s: Started, ...args: string[]): Promise<Record<string, any>> => {
    const r = await awsCli(s.url, { accessKeyId: s.keyId, secretAccessKey: secret }, args, { AWS_MAX_ATTEMPTS: undefined });
    if (!r.ok) throw Object.assign(new Error(r.err), { stderr: r.err });
    return r.out.trim() ? (JSON.parse(r.out) as Record<string, any>) : {};
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'castellan-quickstart-'));
    first = await serve(dataDir);
    expect(first.secret, 'the first start prints the root secret').toBeDefined();
    secret = first.secret!;
  });
  afterAll(async () => {
    if (first) await stop(first);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the AWS CLI v2 is the one tested', async () => {
    const { stdout, stderr } = await run(AWS_CLI, ['--version']);
    expect(`${stdout}${stderr}`).toMatch(/^aws-cli\/2\./);
  });

  it('sts get-caller-identity names the root of the new account', async () => {
    const id = await aws(first, 'sts', 'get-caller-identity');
    expect(id['Arn']).toMatch(/^arn:aws:iam::\d{12}:root$/);
  });

  it('iam create-user, list-users and a refused call work as on AWS', async () => {
    await aws(first, 'iam', 'create-user', '--user-name', 'newcomer', '--path', '/team/');
    const list = await aws(first, 'iam', 'list-users');
    expect(list['Users'].map((u: { UserName: string }) => u.UserName)).toEqual(['newcomer']);
    const err = await aws(first, 'iam', 'get-user', '--user-name', 'nobody').catch((e: { stderr: string; code: number }) => e);
    expect((err as { stderr: string }).stderr).toContain('An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name nobody cannot be found.');
  });

  it('a restart keeps everything and does not print the secret again; SIGTERM exits 0', async () => {
    expect(await stop(first)).toBe(0);
    const second = await serve(dataDir);
    try {
      expect(second.secret).toBeUndefined();
      expect(second.output()).not.toContain(secret);
      expect(second.keyId).toBe(first.keyId);
      const list = await aws(second, 'iam', 'list-users');
      expect(list['Users'].map((u: { Path: string; UserName: string }) => `${u.Path}${u.UserName}`)).toEqual(['/team/newcomer']);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });
});
