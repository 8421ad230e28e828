/**
 * A new user's boto3 session (test/e2e/boto3/new_user.py) against Castellan: environment,
 * credential_process and role_arn + source_profile credentials, the resource API, paginators,
 * waiters, modeled exceptions, STS and CloudTrail, with every response checked against botocore's
 * output shape (botocore is stricter than the SDK for JavaScript: expat, timestamp and boolean
 * formats). With CASTELLAN_PYTHON set (CI sets it) that Python must import boto3, or the test
 * fails; unset, it runs with /usr/bin/python3 (Debian's python3-boto3) and is reported skipped when
 * that cannot import boto3.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { runsCleanly } from './helpers/tool-available.js';

/** A Python named by the environment is required to run the test, never skipped. */
const REQUIRED_PYTHON = process.env['CASTELLAN_PYTHON'] || undefined;
const PYTHON = REQUIRED_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./boto3/new_user.py', import.meta.url));
/** The checks the script makes; fewer would mean one was skipped. */
const CHECKS = 29;
/**
 * More than this many successful responses must pass through the shape checks (41 today), which
 * hook botocore's private `_do_parse`: a botocore that stops calling it would otherwise pass silently.
 */
const MIN_WALKED = 30;

const hasBoto3 = () => runsCleanly(PYTHON, ['-c', 'import boto3']);

describe.skipIf(REQUIRED_PYTHON === undefined && !hasBoto3())('boto3 against Castellan', () => {
  let t: TestCastellan;
  beforeAll(async () => {
    t = await startTestCastellan();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('has a Python that imports boto3', () => {
    expect(hasBoto3(), `${PYTHON} cannot import boto3`).toBe(true);
  });

  it('runs a new user session with every response matching botocore’s shapes', async () => {
    const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT], {
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        CASTELLAN_URL: t.url,
        CASTELLAN_ACCOUNT_ID: E2E_ACCOUNT_ID,
        AWS_ACCESS_KEY_ID: t.root.accessKeyId,
        AWS_SECRET_ACCESS_KEY: t.root.secretAccessKey,
        // boto3 reads AWS_DEFAULT_REGION, not AWS_REGION.
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_MAX_ATTEMPTS: '1',
      },
    });
    const { walked, ...result } = JSON.parse(stdout.trim().split('\n').pop()!) as { walked: number; checks: number; failures: string[] };
    expect(result).toEqual({ checks: CHECKS, failures: [] });
    expect(walked).toBeGreaterThan(MIN_WALKED);
  });
});
