/**
 * A Terraform-like session with the AWS SDK for Go v2 (test/e2e/go/sdk-v2/main.go) against Castellan:
 * the IAM lifecycle the AWS provider drives, STS (AssumeRole, the stscreds provider and its cache,
 * GetSessionToken, a presigned GetCallerIdentity, DecodeAuthorizationMessage) and CloudTrail, with
 * the SDK's paginators, waiters and typed errors (its XML and JSON deserializers are stricter than the
 * JavaScript SDK's). The program is built in GOPATH mode against Debian's
 * golang-github-aws-aws-sdk-go-v2-dev (sources in /usr/share/gocode), offline. With CASTELLAN_GO set
 * (CI sets it to /usr/bin/go) that Go and the SDK must be there, or the test fails; unset, it runs
 * with /usr/bin/go and is reported skipped when Go or the SDK is missing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { runsCleanly } from './helpers/tool-available.js';

/** A Go named by the environment is required to run the test, never skipped. */
const REQUIRED_GO = process.env['CASTELLAN_GO'] || undefined;
const GO = REQUIRED_GO ?? '/usr/bin/go';
/** Debian's GOPATH, holding the SDK's sources. */
const GOPATH = '/usr/share/gocode';
const SDK_PACKAGE = join(GOPATH, 'src/github.com/aws/aws-sdk-go-v2/service/iam');
const PROGRAM_DIR = fileURLToPath(new URL('./go/sdk-v2', import.meta.url));
/** The checks the program makes; fewer would mean one was skipped. */
const CHECKS = 111;

const hasGoAndSdk = () => runsCleanly(GO, ['version']) && existsSync(SDK_PACKAGE);

describe.skipIf(REQUIRED_GO === undefined && !hasGoAndSdk())('the AWS SDK for Go v2 against Castellan', () => {
  let t: TestCastellan;
  let buildDir: string;
  beforeAll(async () => {
    t = await startTestCastellan();
    buildDir = await mkdtemp(join(tmpdir(), 'castellan-go-'));
  });
  afterAll(async () => {
    await t?.dispose();
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });

  it('has Go and the SDK', () => {
    expect(hasGoAndSdk(), `${GO} cannot run, or ${SDK_PACKAGE} is missing (Debian: golang-go golang-github-aws-aws-sdk-go-v2-dev)`).toBe(true);
  });

  it('runs a Terraform-like session with every check passing', async () => {
    // Given the program built offline against Debian's SDK (GOPATH mode; the build cache is Go's default)
    const binary = join(buildDir, 'castellan-go-sdk-v2');
    await promisify(execFile)(GO, ['build', '-o', binary, '.'], {
      cwd: PROGRAM_DIR,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'] ?? buildDir, GO111MODULE: 'off', GOPATH, GOFLAGS: '', GOPROXY: 'off' },
    });
    // When it runs against the server with the root key, no AWS configuration of this machine in sight
    const { stdout } = await promisify(execFile)(binary, [], {
      env: {
        PATH: process.env['PATH'],
        CASTELLAN_URL: t.url,
        CASTELLAN_ACCOUNT_ID: E2E_ACCOUNT_ID,
        AWS_ACCESS_KEY_ID: t.root.accessKeyId,
        AWS_SECRET_ACCESS_KEY: t.root.secretAccessKey,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    // Then every check passed
    const { requests, ...result } = JSON.parse(stdout.trim().split('\n').pop()!) as { checks: number; failures: string[]; requests: number };
    expect(result).toEqual({ checks: CHECKS, failures: [] });
    expect(requests).toBeGreaterThan(80);
  }, 240_000);
});
