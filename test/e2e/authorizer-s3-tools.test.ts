/**
 * The S3 example (`examples/s3-subset`) behind Castellan, driven by the other S3 tools people use,
 * unmodified, as Debian ships them: rclone (s3 backend, provider Other, path style, SigV4) and
 * s3cmd (SigV4, no https). Each runs the commands a newcomer would: buckets, uploads above the
 * multipart threshold, listings with hashes, downloads, server-side copies, streaming uploads,
 * sync, deletion, bucket policies; a user whose policy allows one prefix only is refused exactly
 * where S3 refuses him; s3cmd's SigV2 URLs get S3's InvalidRequest.
 *
 * Without the tools the file is reported skipped, unless `CASTELLAN_S3_TOOLS=1` (`.ci/run` sets it and
 * installs them): then a missing tool fails these tests, never skips them.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Server } from '@castellan/example-s3-subset';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { createUserWithKey } from './helpers/iam-users.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { startS3Example, type S3Example } from './helpers/s3-example.js';

const RCLONE = process.env['CASTELLAN_RCLONE'] ?? '/usr/bin/rclone';
const S3CMD = process.env['CASTELLAN_S3CMD'] ?? '/usr/bin/s3cmd';
/** Tools required by the environment (CI) are never skipped. */
const SKIP = process.env['CASTELLAN_S3_TOOLS'] !== '1' && !(existsSync(RCLONE) && existsSync(S3CMD));
const TIMEOUT = 300_000;
const MiB = 1024 * 1024;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

let t: TestCastellan;
let s3: S3Server;
let example: S3Example | undefined;
let dir: string;
let src: string;
const users: Record<string, StaticCredentials> = {};
/** Each user's rclone config and s3cmd config file. */
const rcloneConfig: Record<string, string> = {};
const s3cmdConfig: Record<string, string> = {};

interface Ran {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a tool (its exit code, output and errors; `input` piped to it). The environment has no
 * AWS_* variable: rclone's SDK reads AWS_CA_BUNDLE and refuses its own transport when one is set.
 */
function tool(file: string, args: string[], input?: Buffer): Promise<Ran> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...env, HOME: dir }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new Error(`${file} is not installed (Debian's rclone and s3cmd; .ci/run installs them)`) : err));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err }));
    child.stdin.end(input);
  });
}
const rclone = (who: string, ...args: string[]) => tool(RCLONE, ['--config', rcloneConfig[who]!, '--retries', '1', '--low-level-retries', '1', ...args]);
const s3cmd = (who: string, ...args: string[]) => tool(S3CMD, ['-c', s3cmdConfig[who]!, ...args]);
/** A command that must succeed: its output as text. */
async function ok(ran: Promise<Ran>): Promise<string> {
  const r = await ran;
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r.stdout.toString('utf8');
}
/** A command that must fail: its errors. */
async function fails(ran: Promise<Ran>): Promise<string> {
  const r = await ran;
  if (r.code === 0) throw new Error(`succeeded: ${r.stdout.toString('utf8')} ${r.stderr}`);
  return r.stderr;
}

/** The MD5 of the parts' MD5s, then "-" and the number of parts: S3's ETag of a multipart object. */
function multipartEtag(data: Buffer, partSize: number): string {
  const digests: Buffer[] = [];
  for (let i = 0; i < data.length; i += partSize) digests.push(createHash('md5').update(data.subarray(i, i + partSize)).digest());
  return `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}`;
}

const large = randomBytes(11 * MiB + 12345);

describe.skipIf(SKIP)('the S3 example driven by rclone and s3cmd', () => {
  beforeAll(async () => {
    t = await startTestCastellan();
    dir = await mkdtemp(join(tmpdir(), 'castellan-s3-tools-'));
    const iam = t.iam();
    users['alice'] = await createUserWithKey(iam, 'alice', policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
    // bob may list and use home/bob/ of the bucket `shared` only, as AWS's user guide shows it.
    users['bob'] = await createUserWithKey(iam, 'bob', policy(
      { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::shared', Condition: { StringLike: { 's3:prefix': ['home/bob/', 'home/bob/*'] } } },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: 'arn:aws:s3:::shared/home/bob/*' },
    ));
    example = await startS3Example(t, await mkdtemp(join(dir, 'data-')));
    s3 = example.s3;
    const endpoint = new URL(s3.url);
    for (const [who, k] of Object.entries(users)) {
      rcloneConfig[who] = join(dir, `rclone-${who}.conf`);
      await writeFile(rcloneConfig[who]!, `[s3]\ntype = s3\nprovider = Other\nenv_auth = false\naccess_key_id = ${k.accessKeyId}\nsecret_access_key = ${k.secretAccessKey}\nregion = us-east-1\nendpoint = ${s3.url}\nforce_path_style = true\nv2_auth = false\n`);
      s3cmdConfig[who] = join(dir, `s3cfg-${who}`);
      await writeFile(s3cmdConfig[who]!, `[default]\naccess_key = ${k.accessKeyId}\nsecret_key = ${k.secretAccessKey}\nhost_base = ${endpoint.host}\nhost_bucket = ${endpoint.host}\nuse_https = False\nsignature_v2 = False\nbucket_location = us-east-1\n`);
    }
    src = join(dir, 'src');
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'small.txt'), 'small\n');
    await writeFile(join(src, 'sub', 'hello.txt'), 'hello\n');
    await writeFile(join(src, 'a b+c&d.txt'), 'odd name\n');
    await writeFile(join(src, 'large.bin'), large);
  }, TIMEOUT);

  afterAll(async () => {
    await example?.close();
    await t?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('rclone', () => {
    it('makes a bucket, copies a folder (large files in 5 MiB parts), lists it with hashes, checks, reads, streams, copies server-side, moves, deletes and purges', async () => {
      await ok(rclone('alice', 'mkdir', 's3:tools-rclone'));
      expect(await ok(rclone('alice', 'lsd', 's3:'))).toMatch(/ tools-rclone\n/);
      await ok(rclone('alice', 'copy', src, 's3:tools-rclone/dir', '--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M'));
      const listed = JSON.parse(await ok(rclone('alice', 'lsjson', '-R', '--hash', '--files-only', 's3:tools-rclone/dir'))) as Array<{ Path: string; Size: number; Hashes?: { md5?: string } }>;
      expect(listed.map((o) => [o.Path, o.Size]).sort()).toEqual([['a b+c&d.txt', 9], ['large.bin', large.length], ['small.txt', 6], ['sub/hello.txt', 6]]);
      expect(listed.find((o) => o.Path === 'large.bin')!.Hashes?.md5).toBe(md5(large));
      // The multipart object's ETag is S3's, which rclone's check of a later download relies on.
      const head = await new S3Client({ endpoint: s3.url, region: 'us-east-1', credentials: users['alice']!, forcePathStyle: true }).send(new HeadObjectCommand({ Bucket: 'tools-rclone', Key: 'dir/large.bin' }));
      expect(head.ETag).toBe(`"${multipartEtag(large, 5 * MiB)}"`);
      await ok(rclone('alice', 'check', src, 's3:tools-rclone/dir'));
      expect(await ok(rclone('alice', 'lsl', 's3:tools-rclone/dir/sub'))).toMatch(/^\s+6 \d{4}-\d\d-\d\d .* hello\.txt\n$/);
      expect(await ok(rclone('alice', 'ls', 's3:tools-rclone'))).toContain(`${large.length} dir/large.bin`);
      expect(await ok(rclone('alice', 'cat', 's3:tools-rclone/dir/a b+c&d.txt'))).toBe('odd name\n');

      // rcat streams standard input of unknown length: above the streaming cutoff, in 5 MiB parts.
      const streamed = await tool(RCLONE, ['--config', rcloneConfig['alice']!, 'rcat', 's3:tools-rclone/streamed.bin', '--streaming-upload-cutoff', '1M', '--s3-chunk-size', '5M'], large);
      expect(streamed.code, streamed.stderr).toBe(0);
      expect(md5((await rclone('alice', 'cat', 's3:tools-rclone/streamed.bin')).stdout)).toBe(md5(large));

      // A server-side copy above --s3-copy-cutoff is UploadPartCopy; below it CopyObject (moveto).
      await ok(rclone('alice', 'copyto', 's3:tools-rclone/dir/large.bin', 's3:tools-rclone/copies/large.bin', '--s3-copy-cutoff', '5M'));
      expect(md5((await rclone('alice', 'cat', 's3:tools-rclone/copies/large.bin')).stdout)).toBe(md5(large));
      await ok(rclone('alice', 'moveto', 's3:tools-rclone/dir/small.txt', 's3:tools-rclone/copies/small.txt'));
      expect(await ok(rclone('alice', 'cat', 's3:tools-rclone/copies/small.txt'))).toBe('small\n');
      expect(await ok(rclone('alice', 'lsf', 's3:tools-rclone/dir'))).not.toContain('small.txt');

      // sync removes what the source no longer has; link is a SigV4 presigned URL.
      await ok(rclone('alice', 'sync', join(src, 'sub'), 's3:tools-rclone/synced'));
      await ok(rclone('alice', 'copyto', join(src, 'small.txt'), 's3:tools-rclone/synced/extra.txt'));
      await ok(rclone('alice', 'sync', join(src, 'sub'), 's3:tools-rclone/synced'));
      expect(await ok(rclone('alice', 'lsf', 's3:tools-rclone/synced'))).toBe('hello.txt\n');
      const link = (await ok(rclone('alice', 'link', 's3:tools-rclone/synced/hello.txt', '--expire', '1h'))).trim();
      expect(link).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
      expect(await (await fetch(link)).text()).toBe('hello\n');
      await ok(rclone('alice', 'delete', 's3:tools-rclone/dir/sub'));
      expect(await ok(rclone('alice', 'ls', 's3:tools-rclone/dir'))).not.toContain('hello.txt');
      // purge asks GetBucketVersioning first: once answered 501, rclone said "Failed to read versioning status".
      const purged = await rclone('alice', 'purge', 's3:tools-rclone', '-v');
      expect(purged.code, purged.stderr).toBe(0);
      expect(purged.stderr).not.toContain('ERROR');
      expect(await ok(rclone('alice', 'lsd', 's3:'))).not.toContain('tools-rclone');
    }, TIMEOUT);

    it('refuses a user allowed one prefix where S3 would (AccessDenied on the bucket listing, another prefix and writes elsewhere), and serves his prefix', async () => {
      await ok(rclone('alice', 'mkdir', 's3:shared'));
      await ok(tool(RCLONE, ['--config', rcloneConfig['alice']!, 'rcat', 's3:shared/home/alice/a.txt'], Buffer.from('alice\n')));
      expect(await fails(rclone('bob', 'ls', 's3:shared'))).toMatch(/AccessDenied.*s3:ListBucket on resource: arn:aws:s3:::shared/);
      expect(await fails(rclone('bob', 'ls', 's3:shared/home'))).toContain('AccessDenied');
      // Without CreateBucket, rclone must be told the bucket exists, as on S3.
      await ok(rclone('bob', 'copy', src, 's3:shared/home/bob/d', '--s3-no-check-bucket', '--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M'));
      expect((await ok(rclone('bob', 'ls', 's3:shared/home/bob'))).split('\n').filter(Boolean)).toHaveLength(4);
      await ok(rclone('bob', 'check', src, 's3:shared/home/bob/d'));
      expect(await fails(rclone('bob', 'cat', 's3:shared/home/alice/a.txt'))).toContain('AccessDenied');
      expect(await fails(tool(RCLONE, ['--config', rcloneConfig['bob']!, '--retries', '1', '--low-level-retries', '1', 'rcat', '--s3-no-check-bucket', 's3:shared/home/alice/b.txt'], Buffer.from('x')))).toMatch(/AccessDenied.*s3:PutObject/);
      expect(await fails(rclone('bob', 'delete', 's3:shared/home/alice'))).toContain('AccessDenied');
      await ok(rclone('bob', 'purge', 's3:shared/home/bob/d'));
      expect(await ok(rclone('bob', 'ls', 's3:shared/home/bob'))).toBe('');
      expect(await ok(rclone('alice', 'cat', 's3:shared/home/alice/a.txt'))).toBe('alice\n');
    }, TIMEOUT);
  });

  describe('s3cmd', () => {
    it('makes a bucket, puts in 5 MiB parts, lists, gets, syncs both ways, shows info, sets and deletes a policy, counts, deletes and removes the bucket', async () => {
      await ok(s3cmd('alice', 'mb', 's3://tools-s3cmd'));
      // Again: 200, as S3 answers a bucket's owner in us-east-1 (the example's location).
      await ok(s3cmd('alice', 'mb', 's3://tools-s3cmd'));
      expect(await ok(s3cmd('alice', 'ls'))).toContain('s3://tools-s3cmd');
      await ok(s3cmd('alice', 'put', join(src, 'large.bin'), 's3://tools-s3cmd/large.bin', '--multipart-chunk-size-mb=5'));
      await ok(s3cmd('alice', 'put', join(src, 'small.txt'), 's3://tools-s3cmd/small.txt'));
      expect(await ok(s3cmd('alice', 'ls', 's3://tools-s3cmd'))).toMatch(new RegExp(`\\s${large.length}\\s+s3://tools-s3cmd/large\\.bin\\n`));
      expect(await ok(s3cmd('alice', 'la'))).toContain('s3://tools-s3cmd/small.txt');
      const got = join(dir, 'got.bin');
      await ok(s3cmd('alice', 'get', 's3://tools-s3cmd/large.bin', got, '--force'));
      expect(md5(await readFile(got))).toBe(md5(large));

      // put - reads standard input (of unknown length: in parts); cp, mv and modify are CopyObject.
      await ok(tool(S3CMD, ['-c', s3cmdConfig['alice']!, 'put', '-', 's3://tools-s3cmd/stdin.bin', '--multipart-chunk-size-mb=5'], large));
      expect(md5((await s3cmd('alice', 'get', 's3://tools-s3cmd/stdin.bin', '-')).stdout)).toBe(md5(large));
      await ok(s3cmd('alice', 'cp', 's3://tools-s3cmd/small.txt', 's3://tools-s3cmd/copied.txt'));
      await ok(s3cmd('alice', 'mv', 's3://tools-s3cmd/copied.txt', 's3://tools-s3cmd/moved.txt'));
      await ok(s3cmd('alice', 'modify', '--add-header=x-amz-meta-colour:blue', 's3://tools-s3cmd/moved.txt'));
      expect(await ok(s3cmd('alice', 'info', 's3://tools-s3cmd/moved.txt'))).toContain('x-amz-meta-colour: blue');
      expect((await s3cmd('alice', 'get', 's3://tools-s3cmd/moved.txt', '-')).stdout.toString()).toBe('small\n');
      await ok(s3cmd('alice', 'del', 's3://tools-s3cmd/stdin.bin', 's3://tools-s3cmd/moved.txt'));
      expect(await ok(s3cmd('alice', 'ls', 's3://tools-s3cmd'))).not.toMatch(/copied|stdin/);

      await ok(s3cmd('alice', 'sync', `${src}/`, 's3://tools-s3cmd/sync/', '--multipart-chunk-size-mb=5'));
      const back = join(dir, 'back');
      await ok(s3cmd('alice', 'sync', 's3://tools-s3cmd/sync/', `${back}/`));
      for (const name of ['small.txt', 'sub/hello.txt', 'a b+c&d.txt', 'large.bin']) expect(md5(await readFile(join(back, name)))).toBe(md5(await readFile(join(src, name))));
      expect(await ok(s3cmd('alice', 'sync', `${src}/`, 's3://tools-s3cmd/sync/'))).not.toContain('upload:');

      // info asks GetBucketLocation (once 501, which failed the command) and the ACL, then tolerates 501 for CORS, lifecycle.
      const info = await ok(s3cmd('alice', 'info', 's3://tools-s3cmd'));
      expect(info).toMatch(/Location:\s+us-east-1\n/);
      expect(await ok(s3cmd('alice', 'info', 's3://tools-s3cmd/large.bin'))).toMatch(new RegExp(`File size: ${large.length}\\n[\\s\\S]*MD5 sum:\\s+${md5(large)}`));
      const bucketPolicy = policy({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::tools-s3cmd' });
      await writeFile(join(dir, 'policy.json'), bucketPolicy);
      await ok(s3cmd('alice', 'setpolicy', join(dir, 'policy.json'), 's3://tools-s3cmd'));
      expect(await ok(s3cmd('alice', 'info', 's3://tools-s3cmd'))).toContain(`Policy:    ${bucketPolicy}`);
      await ok(s3cmd('alice', 'del', '--recursive', '--force', 's3://tools-s3cmd/sync/'));
      expect(await fails(s3cmd('alice', 'rb', 's3://tools-s3cmd'))).toContain('AccessDenied');
      await ok(s3cmd('alice', 'delpolicy', 's3://tools-s3cmd'));
      expect(await ok(s3cmd('alice', 'du', 's3://tools-s3cmd'))).toMatch(new RegExp(`^\\s*${large.length + 6}\\s+2 objects s3://tools-s3cmd/`));
      await ok(s3cmd('alice', 'del', 's3://tools-s3cmd/small.txt'));
      expect(await fails(s3cmd('alice', 'rb', 's3://tools-s3cmd'))).toContain('BucketNotEmpty');
      await ok(s3cmd('alice', 'rb', '--recursive', '--force', 's3://tools-s3cmd'));
      expect(await ok(s3cmd('alice', 'ls'))).not.toContain('tools-s3cmd');
    }, TIMEOUT);

    it('refuses what it does not do, storing nothing: a public ACL, as S3 with ACLs disabled would (on upload and by setacl), another storage class, server-side encryption', async () => {
      await ok(s3cmd('alice', 'mb', 's3://tools-refused'));
      expect(await fails(s3cmd('alice', 'put', '--acl-public', join(src, 'small.txt'), 's3://tools-refused/public.txt'))).toContain('400 (AccessControlListNotSupported)');
      // s3cmd retries an upload answered 501 for some 45 s (as it would on S3): rclone asks for these here.
      expect(await fails(rclone('alice', 'copyto', join(src, 'small.txt'), 's3:tools-refused/ia.txt', '--s3-storage-class', 'STANDARD_IA'))).toMatch(/NotImplemented.*x-amz-storage-class/);
      expect(await fails(rclone('alice', 'copyto', join(src, 'small.txt'), 's3:tools-refused/sse.txt', '--s3-server-side-encryption', 'AES256'))).toMatch(/NotImplemented.*x-amz-server-side-encryption/);
      // setacl reads the ACL (the owner's full control) and sends it back with AllUsers READ added.
      expect(await fails(s3cmd('alice', 'setacl', '--acl-public', 's3://tools-refused'))).toContain('400 (AccessControlListNotSupported)');
      expect(await ok(s3cmd('alice', 'ls', 's3://tools-refused'))).toBe('');
      await ok(tool(RCLONE, ['--config', rcloneConfig['alice']!, 'rcat', 's3:tools-refused/tier.txt'], Buffer.from('tier\n')));
      const tier = await rclone('alice', 'settier', 'GLACIER', 's3:tools-refused/tier.txt');
      expect(tier.stderr).toContain('NotImplemented');
      expect(JSON.parse(await ok(rclone('alice', 'lsjson', 's3:tools-refused/tier.txt')))[0].Tier).toBe('STANDARD');
    }, TIMEOUT);

    it("answers SigV2 with S3's InvalidRequest: a `signurl` URL is refused, and `--signature-v2` falls back to SigV4 on that answer", async () => {
      await ok(s3cmd('alice', 'mb', 's3://tools-sigv2'));
      await ok(s3cmd('alice', 'put', join(src, 'small.txt'), 's3://tools-sigv2/small.txt'));
      const url = (await ok(s3cmd('alice', 'signurl', 's3://tools-sigv2/small.txt', '+600'))).trim();
      expect(url).toContain('AWSAccessKeyId=');
      const res = await fetch(url);
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/<Code>InvalidRequest<\/Code><Message>The authorization mechanism you have provided is not supported\. Please use AWS4-HMAC-SHA256\.<\/Message>/);
      expect(await ok(s3cmd('alice', '--signature-v2', 'ls', 's3://tools-sigv2'))).toContain('s3://tools-sigv2/small.txt');
      expect(await fails(s3cmd('bob', 'info', 's3://tools-sigv2'))).toMatch(/AccessDenied.*s3:GetBucketLocation/);
    }, TIMEOUT);
  });
});
