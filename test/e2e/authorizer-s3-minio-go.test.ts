/**
 * The S3 example behind Castellan driven by the MinIO client for Go (test/e2e/go/minio-v7/main.go,
 * Debian's golang-github-minio-minio-go-v7-dev, built offline in GOPATH mode), the one client here
 * that signs uploads chunk by chunk by itself: over plain HTTP a PutObject is
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`, and each part of a multipart upload
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER` with a signed CRC32C trailer. Both ways (round trip
 * and in process). With CASTELLAN_GO set (CI sets it) Go and the library must be there, or the test
 * fails; unset, it is reported skipped when they are missing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastellanAuthorizer, InProcessAuthorizer, type RequestAuthorizer } from '@castellan/authorizer-client';
import { startS3Server } from '@castellan/example-s3-subset';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';
import { runsCleanly } from './helpers/tool-available.js';

const REQUIRED_GO = process.env['CASTELLAN_GO'] || undefined;
const GO = REQUIRED_GO ?? '/usr/bin/go';
const GOPATH = '/usr/share/gocode';
const LIBRARY = join(GOPATH, 'src/github.com/minio/minio-go/v7');
const PROGRAM_DIR = fileURLToPath(new URL('./go/minio-v7', import.meta.url));
const hasGoAndLibrary = () => runsCleanly(GO, ['version']) && existsSync(LIBRARY);
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe.skipIf(REQUIRED_GO === undefined && !hasGoAndLibrary())('minio-go against the S3 example behind Castellan', () => {
  let t: TestCastellan;
  let dir: string;
  let binary: string;
  const creds: Record<string, StaticCredentials> = {};

  beforeAll(async () => {
    t = await startTestCastellan();
    dir = await mkdtemp(join(tmpdir(), 'castellan-minio-go-'));
    const iam = t.iam();
    creds['service'] = await createUserWithKey(iam, 's3-service', policy({ Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*', Condition: { StringEquals: { 'castellan:SigningService': 's3' } } }));
    creds['writer'] = await createUserWithKey(iam, 'writer', policy({ Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::minio-*', 'arn:aws:s3:::minio-*/*'] }));
    creds['reader'] = await createUserWithKey(iam, 'reader', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::minio-*/*' }));
    if (hasGoAndLibrary()) {
      binary = join(dir, 'minio-v7');
      await promisify(execFile)(GO, ['build', '-o', binary, '.'], {
        cwd: PROGRAM_DIR,
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'] ?? dir, GO111MODULE: 'off', GOPATH, GOFLAGS: '', GOPROXY: 'off' },
      });
    }
  }, 300_000);
  afterAll(async () => {
    await t?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has Go and minio-go', () => {
    expect(hasGoAndLibrary(), `${GO} cannot run, or ${LIBRARY} is missing (Debian: golang-go golang-github-minio-minio-go-v7-dev)`).toBe(true);
  });

  it.each([
    ['round trip', (c: CastellanAuthorizer): RequestAuthorizer => c],
    ['in process', (c: CastellanAuthorizer): RequestAuthorizer => new InProcessAuthorizer({ castellan: c, refreshAfterMs: 0 })],
  ] as const)('uploads chunk-signed, with and without a signed trailer, and reads back (%s)', async (mode, make) => {
    // Given the S3 example behind Castellan, keeping the payload each request declared
    const castellan = new CastellanAuthorizer({ endpoint: t.url, service: 's3', credentials: creds['service']! });
    const inner = make(castellan);
    const declared: string[] = [];
    const authorizer: RequestAuthorizer = { authorize: (q) => (declared.push(q.request.headers['x-amz-content-sha256'] ?? ''), inner.authorize(q)) };
    const s3 = await startS3Server({ dataDir: await mkdtemp(join(dir, 'data-')), authorizer });
    try {
      // When minio-go makes a bucket, uploads a small object and a three-part one, and another user tries to write
      const { stdout } = await promisify(execFile)(binary, [], {
        env: {
          PATH: process.env['PATH'], S3_ENDPOINT: new URL(s3.url).host, S3_BUCKET: `minio-${mode.replace(' ', '-')}`,
          WRITER_KEY_ID: creds['writer']!.accessKeyId, WRITER_SECRET: creds['writer']!.secretAccessKey,
          REFUSED_KEY_ID: creds['reader']!.accessKeyId, REFUSED_SECRET: creds['reader']!.secretAccessKey,
        },
        timeout: 240_000,
      });
      // Then every check passed, and the uploads were the two chunk-signed kinds
      expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ checks: 6, failures: [] });
      expect(declared.filter((d) => d === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD').length).toBeGreaterThanOrEqual(2);
      expect(declared.filter((d) => d === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER')).toHaveLength(3);
    } finally {
      if (inner instanceof InProcessAuthorizer) await inner.flush();
      await s3.close();
      castellan.close();
    }
  }, 300_000);
});
