/**
 * The S3 example (`examples/s3-subset`) behind Castellan as the target of duplicity 0.8 (Debian's
 * `duplicity`, its `boto3+s3://` backend on Debian's boto3): a full backup whose volume goes up in
 * parts (multipart upload), an incremental one, `collection-status`, `restore` compared byte for
 * byte, `verify --compare-data`, `remove-all-but-n-full` and `cleanup`, encrypted with GnuPG as
 * duplicity does by default. With CASTELLAN_DUPLICITY set (CI sets it to /usr/bin/duplicity) that
 * binary must exist, or the test fails; unset, it is reported skipped without /usr/bin/duplicity.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Server } from '@castellan/example-s3-subset';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { createUserWithKey } from './helpers/iam-users.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { startS3Example, type S3Example } from './helpers/s3-example.js';
import { environmentWithout, mustSucceed, runTool, type Ran } from './helpers/run-tool.js';

const REQUIRED = process.env['CASTELLAN_DUPLICITY'] || undefined;
const DUPLICITY = REQUIRED ?? '/usr/bin/duplicity';
const BUCKET = 'duplicity';
const MiB = 1024 * 1024;
/** Nine commands, some 40 s on a quiet two-core machine (each starts Python and GnuPG). */
const TIMEOUT = 300_000;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe.skipIf(REQUIRED === undefined && !existsSync(DUPLICITY))('duplicity backing up to the S3 example', () => {
  let t: TestCastellan;
  let s3: S3Server;
  let example: S3Example | undefined;
  let dir: string;
  let src: string;
  let alice: StaticCredentials;

  /** Runs duplicity as alice against the example (no AWS_* variable but her keys). */
  function duplicity(...args: string[]): Promise<Ran> {
    return runTool(DUPLICITY, [...args, '--s3-endpoint-url', s3.url, '--s3-region-name', 'us-east-1', '--num-retries', '1', '--archive-dir', join(dir, 'cache')], {
      ...environmentWithout('AWS_'),
      HOME: dir,
      AWS_ACCESS_KEY_ID: alice.accessKeyId,
      AWS_SECRET_ACCESS_KEY: alice.secretAccessKey,
      PASSPHRASE: 'correct horse battery staple',
    });
  }
  /** A duplicity command that must succeed: its standard output. */
  const ok = (ran: Promise<Ran>): Promise<string> => mustSucceed('duplicity', ran);

  beforeAll(async () => {
    t = await startTestCastellan();
    dir = await mkdtemp(join(tmpdir(), 'castellan-duplicity-'));
    const iam = t.iam();
    alice = await createUserWithKey(iam, 'alice', policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
    example = await startS3Example(t, await mkdtemp(join(dir, 'data-')));
    s3 = example.s3;
    // duplicity's boto3 backend creates no bucket (a missing one is fatal, as on S3): make it first.
    const client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: alice });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    client.destroy();
    src = join(dir, 'src');
    await mkdir(join(src, 'docs'), { recursive: true });
    await writeFile(join(src, 'docs', 'a.txt'), 'first\n');
    // Random, so GnuPG cannot compress it: the 6 MiB volume goes up in two 5 MiB parts.
    await writeFile(join(src, 'random.bin'), randomBytes(6 * MiB));
  });
  afterAll(async () => {
    await example?.close();
    await t?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has Debian’s duplicity', () => {
    expect(existsSync(DUPLICITY), `${DUPLICITY} is not installed (Debian's duplicity; .ci/run installs it)`).toBe(true);
  });

  it('backs up in full (multipart) and incrementally, restores byte for byte, verifies and removes old chains', async () => {
    const target = `boto3+s3://${BUCKET}/host`;
    // When duplicity makes a full backup, then an incremental one after a change
    const full = await ok(duplicity('full', '--s3-multipart-chunk-size', '5', src, target));
    expect(full).toMatch(/^Errors 0$/m);
    const completed = await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CompleteMultipartUpload' }] }));
    expect(completed.Events?.length).toBeGreaterThan(0);
    await writeFile(join(src, 'docs', 'a.txt'), 'second\n');
    expect(await ok(duplicity('incremental', src, target))).toMatch(/^Errors 0$/m);
    // Then the chain lists both sets, restores as the source is now, and compares equal
    expect(await ok(duplicity('collection-status', target))).toMatch(/Number of contained backup sets: 2/);
    const restored = join(dir, 'restored');
    await ok(duplicity('restore', target, restored));
    expect(await readFile(join(restored, 'docs', 'a.txt'), 'utf8')).toBe('second\n');
    expect((await readFile(join(restored, 'random.bin'))).equals(await readFile(join(src, 'random.bin')))).toBe(true);
    expect(await ok(duplicity('verify', '--compare-data', target, src))).toMatch(/0 differences found/);
    // And a second full backup lets the first chain be removed
    await ok(duplicity('full', src, target));
    expect(await ok(duplicity('remove-all-but-n-full', '1', '--force', target))).toMatch(/Deleting/);
    expect(await ok(duplicity('collection-status', target))).toMatch(/Number of contained backup sets: 1/);
    await ok(duplicity('cleanup', '--force', target));
  }, TIMEOUT);
});
