/**
 * The S3 example (`examples/s3-subset`) behind Castellan as the block store of s3backer 1.5 (Debian's
 * `s3backer`, a FUSE file system holding one file whose blocks are S3 objects, signed with SigV4):
 * mounted, written (a block of zeros is deleted, not stored), unmounted, mounted again and read back
 * byte for byte, its "already mounted" flag honoured, and `--erase`. FUSE needs /dev/fuse and root
 * (to mount, and `umount` to unmount without Debian's `fuse` package). With CASTELLAN_S3BACKER set (CI
 * sets it to /usr/bin/s3backer) that binary must exist, or the test fails; unset, it is reported
 * skipped without /usr/bin/s3backer or /dev/fuse.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Server } from '@castellan/example-s3-subset';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { createUserWithKey } from './helpers/iam-users.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { startS3Example, type S3Example } from './helpers/s3-example.js';

const REQUIRED = process.env['CASTELLAN_S3BACKER'] || undefined;
const S3BACKER = REQUIRED ?? '/usr/bin/s3backer';
const BUCKET = 'blocks';
const BLOCK = 64 * 1024;
/** Two mounts and an erase: seconds on a quiet machine, more under load. */
const TIMEOUT = 120_000;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe.skipIf(REQUIRED === undefined && !(existsSync(S3BACKER) && existsSync('/dev/fuse')))('s3backer storing its blocks in the S3 example', () => {
  let t: TestCastellan;
  let s3: S3Server;
  let example: S3Example | undefined;
  let client: S3Client;
  let dir: string;
  let mnt: string;
  let alice: StaticCredentials;
  const mounted: ChildProcess[] = [];

  /**
   * s3backer's arguments for alice's bucket. No `--region`: it would switch to virtual-hosted URLs
   * (`http://blocks.127.0.0.1:…/`); the default region, us-east-1, is the example's.
   */
  const options = () => [`--baseURL=${s3.url}/`, `--accessId=${alice.accessKeyId}`, `--accessKey=${alice.secretAccessKey}`, `--blockSize=${BLOCK / 1024}k`, '--size=4m'];
  const env = () => ({ PATH: process.env['PATH'], HOME: dir });

  /** Mounts the bucket on `mnt` (s3backer in the foreground) and waits for its file. */
  async function mount(): Promise<{ exited: Promise<number>; log: () => string }> {
    let log = '';
    const child = spawn(S3BACKER, ['-f', ...options(), '--listBlocks', BUCKET, mnt], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    mounted.push(child);
    child.stdout.on('data', (d: Buffer) => (log += String(d)));
    child.stderr.on('data', (d: Buffer) => (log += String(d)));
    const exited = new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? -1));
    });
    for (let i = 0; i < 200 && !existsSync(join(mnt, 'file')); i++) {
      if (child.exitCode !== null) throw new Error(`s3backer exited ${child.exitCode}: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!existsSync(join(mnt, 'file'))) throw new Error(`s3backer did not mount: ${log}`);
    return { exited, log: () => log };
  }
  /** Unmounts `mnt` (s3backer writes what it holds back, clears its flag and exits). */
  async function unmount(m: { exited: Promise<number>; log: () => string }): Promise<void> {
    await promisify(execFile)('umount', [mnt]);
    expect(await m.exited, m.log()).toBe(0);
  }
  const keys = async () => ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!).sort();

  beforeAll(async () => {
    t = await startTestCastellan();
    dir = await mkdtemp(join(tmpdir(), 'castellan-s3backer-'));
    mnt = join(dir, 'mnt');
    await mkdir(mnt);
    const iam = t.iam();
    alice = await createUserWithKey(iam, 'alice', policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
    example = await startS3Example(t, await mkdtemp(join(dir, 'data-')));
    s3 = example.s3;
    client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: alice });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(async () => {
    // A test that failed half way leaves a mount: detach it before its folder goes.
    if (mnt && mounted.some((c) => c.exitCode === null)) await promisify(execFile)('umount', ['-l', mnt]).catch(() => undefined);
    for (const c of mounted) if (c.exitCode === null) c.kill();
    client?.destroy();
    await example?.close();
    await t?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has Debian’s s3backer and FUSE', () => {
    expect(existsSync(S3BACKER), `${S3BACKER} is not installed (Debian's s3backer; .ci/run installs it)`).toBe(true);
    expect(existsSync('/dev/fuse'), '/dev/fuse is missing: s3backer mounts with FUSE').toBe(true);
  });

  it('writes blocks as objects, deletes a zeroed one, reads them back after a remount and erases them', async () => {
    const data = randomBytes(16 * BLOCK);
    // Given a mounted bucket
    const first = await mount();
    // When 16 blocks are written from block 3 on, then block 3 is zeroed, and the file system unmounted
    let file = await open(join(mnt, 'file'), 'r+');
    await file.write(data, 0, data.length, 3 * BLOCK);
    await file.sync();
    await file.write(Buffer.alloc(BLOCK), 0, BLOCK, 3 * BLOCK);
    await file.sync();
    await file.close();
    await unmount(first);
    // Then each non-zero block is an object named by its number, and the mount flag is gone
    expect(await keys()).toEqual(Array.from({ length: 15 }, (_, i) => (i + 4).toString(16).padStart(8, '0')));
    // And mounted again (a second mount meanwhile is refused), the blocks read back as written
    const second = await mount();
    const refused = await promisify(execFile)(S3BACKER, ['-f', ...options(), BUCKET, join(dir, 'other')], { env: env() }).then(() => '', (err: { stderr: string }) => err.stderr);
    expect(refused).toContain('appears to be already mounted');
    file = await open(join(mnt, 'file'), 'r');
    const back = Buffer.alloc(16 * BLOCK);
    await file.read(back, 0, back.length, 3 * BLOCK);
    await file.close();
    expect(back.subarray(0, BLOCK).equals(Buffer.alloc(BLOCK))).toBe(true);
    expect(back.subarray(BLOCK).equals(data.subarray(BLOCK))).toBe(true);
    await unmount(second);
    // And --erase deletes them all
    await promisify(execFile)(S3BACKER, ['--erase', '--force', ...options(), BUCKET], { env: env() });
    expect(await keys()).toEqual([]);
  }, TIMEOUT);
});
