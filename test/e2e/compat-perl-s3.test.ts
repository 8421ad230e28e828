/**
 * The S3 example (`examples/s3-subset`) behind Castellan, driven by Perl's two S3 libraries as
 * Debian ships them (test/e2e/perl): Net::Amazon::S3 0.991 (its Client and legacy interfaces, a
 * SigV4 presigned URL, multipart, multi-object delete) and Amazon::S3 0.60 (keys with metadata, V1
 * and V2 listings, copy, multipart, ACL). Both sign with SigV4 and address buckets by path.
 * With CASTELLAN_PERL_S3=1 (CI sets it) the libraries must be installed, or the test fails; unset,
 * it is reported skipped without them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Server } from '@castellan/example-s3-subset';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { createUserWithKey } from './helpers/iam-users.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { startS3Example, type S3Example } from './helpers/s3-example.js';
import { runsCleanly } from './helpers/tool-available.js';

const REQUIRED = process.env['CASTELLAN_PERL_S3'] === '1';
const PERL = '/usr/bin/perl';
const MODULES = ['Net::Amazon::S3', 'Amazon::S3'];
/** Each script and the checks it makes; fewer would mean one was skipped. */
const SCRIPTS: Array<{ library: string; script: string; checks: number }> = [
  { library: 'Net::Amazon::S3', script: 'net-amazon-s3.pl', checks: 23 },
  { library: 'Amazon::S3', script: 'amazon-s3.pl', checks: 25 },
];
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const hasModules = () => runsCleanly(PERL, MODULES.flatMap((m) => ['-M' + m]).concat(['-e', '1']));

describe.skipIf(!REQUIRED && !hasModules())('the S3 example driven by Perl’s Net::Amazon::S3 and Amazon::S3', () => {
  let t: TestCastellan;
  let s3: S3Server;
  let example: S3Example | undefined;
  let dir: string;
  let alice: StaticCredentials;
  beforeAll(async () => {
    t = await startTestCastellan();
    dir = await mkdtemp(join(tmpdir(), 'castellan-perl-s3-'));
    const iam = t.iam();
    alice = await createUserWithKey(iam, 'alice', policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
    example = await startS3Example(t, await mkdtemp(join(dir, 'data-')));
    s3 = example.s3;
  });
  afterAll(async () => {
    await example?.close();
    await t?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has Debian’s libnet-amazon-s3-perl and libamazon-s3-perl', () => {
    expect(hasModules(), `${PERL} cannot load ${MODULES.join(' and ')}`).toBe(true);
  });

  it.each(SCRIPTS)('$library: buckets, objects, listings, multipart and deletion answered as S3 answers them', async ({ script, checks }) => {
    const { stdout } = await promisify(execFile)(PERL, [fileURLToPath(new URL(`./perl/${script}`, import.meta.url))], {
      env: {
        PATH: process.env['PATH'],
        HOME: dir,
        S3_HOST: new URL(s3.url).host,
        S3_KEY_ID: alice.accessKeyId,
        S3_SECRET: alice.secretAccessKey,
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ checks, failures: [] });
  });
});
