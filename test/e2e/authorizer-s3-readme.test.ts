/**
 * The README's worked example ("Castellan in front of your service"), step by step as a newcomer
 * runs it: `castellan serve`, the service's user and a client's made with the AWS CLI as root, the
 * example's own `bin/s3-subset.js` started with the README's environment, then the AWS CLI v2 as
 * the client (`s3 mb`, `cp` above the multipart threshold, `ls`, `sync`, `presign`, path style and
 * virtual-hosted at the README's `--virtual-host-domain`) and
 * `cloudtrail lookup-events` as root. The other file (authorizer-s3-cli) tests the server in depth;
 * this one keeps the README's commands and the bin script true.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from './helpers/aws-cli.js';

const run = promisify(execFile);
const CASTELLAN = join(process.cwd(), 'packages/cli/bin/castellan.js');
const S3_SUBSET = join(process.cwd(), 'examples/s3-subset/bin/s3-subset.js');
const TIMEOUT = 300_000;

interface Keys {
  id: string;
  secret: string;
}

/** Starts a process and waits until its output matches `ready`. */
async function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const deadline = Date.now() + 60_000;
  while (!ready.test(out)) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}: ${out}`);
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} not ready after 60 s: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('README: Castellan in front of your service, step by step', () => {
  let dir: string;
  let castellan: Awaited<ReturnType<typeof start>> | undefined;
  let s3: Awaited<ReturnType<typeof start>> | undefined;
  let castellanUrl: string;
  let s3Url: string;
  let root: Keys;
  let alice: Keys;
  let config: string;
  /** The keys the README's shell has exported at this step: each command runs with these, as in the shell. */
  let exported: Keys;

  const aws = async (endpoint: string, ...args: string[]): Promise<string> => {
    const keys = exported;
    const { stdout } = await run(AWS_CLI, ['--endpoint-url', endpoint, ...args], {
      cwd: dir,
      env: { ...process.env, AWS_ACCESS_KEY_ID: keys.id, AWS_SECRET_ACCESS_KEY: keys.secret, AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' },
    });
    return stdout;
  };
  const keysOf = (json: string): Keys => {
    const k = (JSON.parse(json) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } }).AccessKey;
    return { id: k.AccessKeyId, secret: k.SecretAccessKey };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-s3-readme-'));
    config = join(dir, 'aws-config');
    await writeFile(config, '');
    castellan = await start([CASTELLAN, 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--log-level', 'warn'], process.env, /sts get-caller-identity/);
    castellanUrl = /listening on (http:\/\/\S+)/.exec(castellan.output())![1]!;
    root = { id: /AWS_ACCESS_KEY_ID=(\S+)/.exec(castellan.output())![1]!, secret: /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(castellan.output())![1]! };
    exported = root; // export AWS_ACCESS_KEY_ID=AKIA… (that root key)
  }, TIMEOUT);

  afterAll(async () => {
    await stop(s3?.child);
    await stop(castellan?.child);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('makes the service’s user and a client’s with the CLI, and starts the example with the README’s environment', async () => {
    await aws(castellanUrl, 'iam', 'create-user', '--user-name', 's3-service');
    await aws(castellanUrl, 'iam', 'put-user-policy', '--user-name', 's3-service', '--policy-name', 'authorize', '--policy-document',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"castellan:AuthorizeRequest","Resource":"*","Condition":{"StringEquals":{"castellan:SigningService":"s3"}}}]}');
    const service = keysOf(await aws(castellanUrl, '--output', 'json', 'iam', 'create-access-key', '--user-name', 's3-service'));
    await aws(castellanUrl, 'iam', 'create-user', '--user-name', 'alice');
    await aws(castellanUrl, 'iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 's3', '--policy-document',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}');
    alice = keysOf(await aws(castellanUrl, '--output', 'json', 'iam', 'create-access-key', '--user-name', 'alice'));
    // S3_PORT=0: any free port (the README's 9000 may be taken on a test machine); the data in ./s3-data.
    s3 = await start([S3_SUBSET, '--virtual-host-domain', 's3.localhost'], { ...process.env, AWS_ACCESS_KEY_ID: service.id, AWS_SECRET_ACCESS_KEY: service.secret, CASTELLAN_ENDPOINT: castellanUrl, S3_PORT: '0', S3_AUTHORIZER: 'round-trip', S3_DATA_DIR: join(dir, 's3-data') }, /s3-subset listening on/);
    s3Url = /listening on (http:\/\/\S+)/.exec(s3.output())![1]!;
    expect(s3.output()).toContain('(authorizer: round trip; path style, and virtual-hosted style at BUCKET.s3.localhost)');
  }, TIMEOUT);

  it('serves the client’s AWS CLI commands, and the data events are in the trail', async () => {
    exported = alice; // export AWS_ACCESS_KEY_ID=<alice's key> …
    await run(AWS_CLI, ['configure', 'set', 'default.s3.addressing_style', 'path'], { env: { ...process.env, AWS_CONFIG_FILE: config } });
    expect(await readFile(config, 'utf8')).toContain('addressing_style = path');
    await aws(s3Url, 's3', 'mb', 's3://photos');
    const cat = randomBytes(9 * 1024 * 1024);
    await writeFile(join(dir, 'cat.jpg'), cat);
    await aws(s3Url, 's3', 'cp', './cat.jpg', 's3://photos/cat.jpg');
    expect(await aws(s3Url, 's3', 'ls')).toMatch(/ photos\n$/);
    await mkdir(join(dir, 'album'));
    await writeFile(join(dir, 'album', 'one.txt'), 'one');
    await aws(s3Url, 's3', 'sync', './album', 's3://photos/album');
    expect(await aws(s3Url, 's3', 'ls', 's3://photos/')).toMatch(/PRE album\/\n.* 9437184 cat\.jpg\n$/);
    const url = (await aws(s3Url, 's3', 'presign', 's3://photos/cat.jpg', '--expires-in', '600')).trim();
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(cat)).toBe(true);
    // Virtual-hosted, as --virtual-host-domain serves it: a URL presigned for Host photos.s3.localhost
    // (sent to 127.0.0.1 with that Host, whatever the resolver makes of *.localhost).
    await run(AWS_CLI, ['configure', 'set', 'default.s3.addressing_style', 'virtual'], { env: { ...process.env, AWS_CONFIG_FILE: config } });
    const port = new URL(s3Url).port;
    const virtual = new URL((await aws(`http://s3.localhost:${port}`, 's3', 'presign', 's3://photos/cat.jpg', '--expires-in', '600')).trim());
    expect(virtual.host).toBe(`photos.s3.localhost:${port}`);
    const got = await new Promise<Buffer>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: virtual.pathname + virtual.search, headers: { host: virtual.host } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(parts)) : reject(new Error(`${res.statusCode}: ${Buffer.concat(parts)}`))));
      }).on('error', reject);
    });
    expect(got.equals(cat)).toBe(true);
    await run(AWS_CLI, ['configure', 'set', 'default.s3.addressing_style', 'path'], { env: { ...process.env, AWS_CONFIG_FILE: config } });
    await aws(s3Url, 's3', 'cp', 's3://photos/cat.jpg', './back.jpg');
    expect((await readFile(join(dir, 'back.jpg'))).equals(cat)).toBe(true);
    // As alice, whose policy allows s3 only, the trail is refused; the README exports root's keys again.
    await expect(aws(castellanUrl, 'cloudtrail', 'lookup-events')).rejects.toThrow(/AccessDenied/);
    exported = root; // export AWS_ACCESS_KEY_ID=<the root key> …
    let names: string[] = [];
    for (let i = 0; i < 50 && !names.includes('CompleteMultipartUpload'); i++) {
      const out = JSON.parse(await aws(castellanUrl, '--output', 'json', 'cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=s3.amazonaws.com')) as { Events: Array<{ EventName: string }> };
      names = out.Events.map((e) => e.EventName);
      if (!names.includes('CompleteMultipartUpload')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(names).toEqual(expect.arrayContaining(['CreateBucket', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'ListBuckets', 'ListObjectsV2', 'GetObject']));
  }, TIMEOUT);
});
