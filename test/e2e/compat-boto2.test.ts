/**
 * boto 2 (Debian's python3-boto 2.49: its own SigV4 signer, Query serializer and XML parser, older
 * than botocore) against Castellan's IAM and STS (test/e2e/boto2/iam_sts.py): users, groups, inline
 * and managed policies, access keys, login profile, signing and server certificates, virtual MFA,
 * roles and instance profiles, SAML provider, alias, password policy, account summary, credential
 * report, then GetSessionToken, AssumeRole and GetFederationToken, with AWS's error codes along the
 * way. With CASTELLAN_PYTHON set (CI sets it) that Python must import boto, or the test fails;
 * unset, it runs with /usr/bin/python3 and is reported skipped when that cannot import boto.
 */
import { execFile, execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

/** A Python named by the environment is required to run the test, never skipped. */
const REQUIRED_PYTHON = process.env['CASTELLAN_PYTHON'] || undefined;
const PYTHON = REQUIRED_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./boto2/iam_sts.py', import.meta.url));
/** The checks the script makes; fewer would mean one was skipped. */
const CHECKS = 66;

function hasBoto(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import boto'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(REQUIRED_PYTHON === undefined && !hasBoto())('boto 2 against Castellan', () => {
  let t: TestCastellan;
  beforeAll(async () => {
    t = await startTestCastellan();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('has a Python that imports boto (Debian’s python3-boto)', () => {
    expect(hasBoto(), `${PYTHON} cannot import boto`).toBe(true);
  });

  it('runs IAM and STS sessions with AWS’s answers, and leaves nothing behind', async () => {
    const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT], {
      env: {
        PATH: process.env['PATH'],
        // boto 2 reads ~/.boto and /etc/boto.cfg unless BOTO_CONFIG names another file.
        HOME: tmpdir(),
        BOTO_CONFIG: '/dev/null',
        CASTELLAN_URL: t.url,
        CASTELLAN_ACCOUNT_ID: E2E_ACCOUNT_ID,
        AWS_ACCESS_KEY_ID: t.root.accessKeyId,
        AWS_SECRET_ACCESS_KEY: t.root.secretAccessKey,
      },
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ checks: CHECKS, failures: [] });
  });
});
