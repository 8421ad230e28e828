/**
 * The S3 example (`examples/s3-subset`) behind Castellan as the repository of restic 0.14 (Debian's
 * `restic`, minio-go inside: GetBucketLocation, HeadBucket, ListObjectsV2, Put/Get/Head/DeleteObject):
 * `init`, two backups, `snapshots`, `restore` compared byte for byte, `check --read-data`, `forget
 * --prune`; and a backup user whose policy allows one repository's prefix only, who backs up and
 * restores there and is refused any other repository, as on S3. With CASTELLAN_RESTIC set (CI sets it
 * to /usr/bin/restic) that binary must exist, or the test fails; unset, it is reported skipped
 * without /usr/bin/restic.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Server } from '@castellan/example-s3-subset';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { createUserWithKey } from './helpers/iam-users.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { startS3Example, type S3Example } from './helpers/s3-example.js';
import { environmentWithout, mustSucceed, runTool, type Ran } from './helpers/run-tool.js';

const REQUIRED = process.env['CASTELLAN_RESTIC'] || undefined;
const RESTIC = REQUIRED ?? '/usr/bin/restic';
const BUCKET = 'backups';
/** Each test runs restic some eight times: seconds on a quiet machine, more under load. */
const TIMEOUT = 180_000;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe.skipIf(REQUIRED === undefined && !existsSync(RESTIC))('restic backing up to the S3 example', () => {
  let t: TestCastellan;
  let s3: S3Server;
  let example: S3Example | undefined;
  let dir: string;
  let src: string;
  let owner: StaticCredentials;
  let confined: StaticCredentials;

  /** Runs restic as `who` on the repository at `prefix` of the bucket (no AWS_* variable but the keys). */
  function restic(who: StaticCredentials, prefix: string, ...args: string[]): Promise<Ran> {
    return runTool(RESTIC, args, {
      ...environmentWithout('AWS_', 'RESTIC_'),
      HOME: dir,
      AWS_ACCESS_KEY_ID: who.accessKeyId,
      AWS_SECRET_ACCESS_KEY: who.secretAccessKey,
      RESTIC_REPOSITORY: `s3:${s3.url}/${BUCKET}/${prefix}`,
      RESTIC_PASSWORD: 'correct horse battery staple',
    });
  }
  /** A restic command that must succeed: its standard output. */
  const ok = (ran: Promise<Ran>): Promise<string> => mustSucceed('restic', ran);
  const snapshots = async (who: StaticCredentials, prefix: string) =>
    (JSON.parse(await ok(restic(who, prefix, 'snapshots', '--json'))) as Array<{ short_id: string; paths: string[] }>);

  beforeAll(async () => {
    t = await startTestCastellan();
    dir = await mkdtemp(join(tmpdir(), 'castellan-restic-'));
    const iam = t.iam();
    owner = await createUserWithKey(iam, 'owner', policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
    // The policy AWS's and restic's guides give a user confined to a prefix of a shared bucket.
    confined = await createUserWithKey(iam, 'confined', policy(
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringLike: { 's3:prefix': ['mine/*'] } } },
      { Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: `arn:aws:s3:::${BUCKET}` },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `arn:aws:s3:::${BUCKET}/mine/*` },
    ));
    example = await startS3Example(t, await mkdtemp(join(dir, 'data-')));
    s3 = example.s3;
    src = join(dir, 'src');
    await mkdir(join(src, 'docs'), { recursive: true });
    await writeFile(join(src, 'docs', 'a.txt'), 'first\n');
    await writeFile(join(src, 'random.bin'), randomBytes(3 * 1024 * 1024));
  });
  afterAll(async () => {
    await example?.close();
    await t?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has Debian’s restic', () => {
    expect(existsSync(RESTIC), `${RESTIC} is not installed (Debian's restic; .ci/run installs it)`).toBe(true);
  });

  it('inits a repository, backs up twice, restores byte for byte, checks the data and prunes', async () => {
    // Given a bucket-owning user and an empty bucket (restic creates it)
    // When restic makes a repository and two snapshots, the second after a change
    expect(await ok(restic(owner, 'team', 'init'))).toContain('created restic repository');
    await ok(restic(owner, 'team', 'backup', src));
    await writeFile(join(src, 'docs', 'a.txt'), 'second\n');
    await ok(restic(owner, 'team', 'backup', src));
    // Then both snapshots are listed, the latest restores as the source is, and every pack reads back
    expect(await snapshots(owner, 'team')).toHaveLength(2);
    const target = join(dir, 'restored');
    await ok(restic(owner, 'team', 'restore', 'latest', '--target', target));
    expect(await readFile(join(target, src, 'docs', 'a.txt'), 'utf8')).toBe('second\n');
    expect((await readFile(join(target, src, 'random.bin'))).equals(await readFile(join(src, 'random.bin')))).toBe(true);
    expect(await ok(restic(owner, 'team', 'check', '--read-data'))).toContain('no errors were found');
    // And forgetting the older snapshot deletes what only it used
    await ok(restic(owner, 'team', 'forget', '--keep-last', '1', '--prune'));
    expect(await snapshots(owner, 'team')).toHaveLength(1);
    expect(await ok(restic(owner, 'team', 'check'))).toContain('no errors were found');
  }, TIMEOUT);

  it('lets a user confined to one prefix back up there and refuses him any other repository', async () => {
    // Given a repository made for him by the bucket's owner (restic 0.14's own `init` stops at
    // HeadBucket, which S3 refuses him too: restic means to ignore that 403, but 0.14 compares the wrong error code)
    const refusedInit = await restic(confined, 'mine/new', 'init');
    expect(refusedInit.code).not.toBe(0);
    expect(refusedInit.stderr).toContain('client.BucketExists: Access Denied');
    await ok(restic(owner, 'mine/repo', 'init'));
    // When he backs up and restores
    await ok(restic(confined, 'mine/repo', 'backup', src));
    const target = join(dir, 'restored-confined');
    await ok(restic(confined, 'mine/repo', 'restore', 'latest', '--target', target));
    expect((await readFile(join(target, src, 'random.bin'))).equals(await readFile(join(src, 'random.bin')))).toBe(true);
    expect(await ok(restic(confined, 'mine/repo', 'check', '--read-data'))).toContain('no errors were found');
    // Then another repository of the bucket is closed to him
    const other = await restic(confined, 'team', 'snapshots');
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('Access Denied');
  }, TIMEOUT);
});
