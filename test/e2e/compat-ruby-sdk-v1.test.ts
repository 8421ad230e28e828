/**
 * Ruby's AWS SDK v1 (Debian's ruby-aws-sdk 1.67, `require 'aws-sdk-v1'`) against Castellan
 * (test/e2e/ruby/aws-sdk-v1.rb): AWS::IAM's resource interface (users with paths, paged collections,
 * inline policies, groups, access keys, login profile, password policy, alias, summary, signing and
 * server certificates, a virtual MFA device) and its client calls (roles, managed policies and
 * versions, instance profiles, authorization details, credential report), and AWS::STS (session
 * token, AssumeRole with and without a session policy, a federated session), with AWS's errors. The
 * SDK's STS client refuses plain HTTP (`use_ssl: false` raises before any request), so STS goes
 * through a TLS terminator in front of Castellan, as a deployment's proxy would; IAM goes both ways.
 * Its AWS::S3 against the S3 example (test/e2e/ruby/aws-sdk-v1-s3.rb): objects, a multipart write,
 * a copy, listings, and `bucket.delete!`, which lists object versions and deletes the null versions.
 * With CASTELLAN_RUBY_SDK_V1=1 (CI sets it) the library must be installed, or the test fails;
 * unset, it is reported skipped without it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastellanAuthorizer } from '@castellan/authorizer-client';
import { startS3Server, type S3Server } from '@castellan/example-s3-subset';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';
import { runsCleanly } from './helpers/tool-available.js';

const REQUIRED = process.env['CASTELLAN_RUBY_SDK_V1'] === '1';
const RUBY = '/usr/bin/ruby';
const SCRIPT = fileURLToPath(new URL('./ruby/aws-sdk-v1.rb', import.meta.url));
/** The checks the script makes; fewer would mean one was skipped. */
const CHECKS = 49;
const S3_SCRIPT = fileURLToPath(new URL('./ruby/aws-sdk-v1-s3.rb', import.meta.url));
const S3_CHECKS = 9;

const hasSdk = () => runsCleanly(RUBY, ['-e', 'require "aws-sdk-v1"; exit(AWS::VERSION.start_with?("1.") ? 0 : 1)']);

describe.skipIf(!REQUIRED && !hasSdk())('Ruby’s AWS SDK v1 (AWS::IAM, AWS::STS, AWS::S3) against Castellan', () => {
  let t: TestCastellan;
  let dir: string;
  let tls: Server;
  let admin: StaticCredentials;
  let s3: S3Server;
  let castellan: CastellanAuthorizer;
  beforeAll(async () => {
    t = await startTestCastellan();
    dir = await mkdtemp(join(tmpdir(), 'castellan-ruby-'));
    // A self-signed certificate for the loopback address, trusted by the script through `ssl_ca_file`.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')], { stdio: 'ignore' });
    const port = Number(new URL(t.url).port);
    tls = createServer({ key: await readFile(join(dir, 'tls.key')), cert: await readFile(join(dir, 'tls.crt')) }, (socket) => {
      const upstream = connect(port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    admin = await createUserWithKey(t.iam(), 'ruby-admin', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    const service = await createUserWithKey(t.iam(), 's3-service', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*' }] }));
    castellan = new CastellanAuthorizer({ endpoint: t.url, service: 's3', credentials: service });
    s3 = await startS3Server({ dataDir: await mkdtemp(join(dir, 's3-')), authorizer: castellan });
  });
  afterAll(async () => {
    await s3?.close();
    castellan?.close();
    await new Promise((resolve) => (tls ? tls.close(resolve) : resolve(undefined)));
    await t?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has Debian’s ruby-aws-sdk', () => {
    expect(hasSdk(), `${RUBY} cannot load aws-sdk-v1`).toBe(true);
  });

  it('manages IAM and gets STS credentials as on AWS, errors included', async () => {
    const { stdout } = await promisify(execFile)(RUBY, [SCRIPT], {
      env: {
        PATH: process.env['PATH'],
        HOME: dir,
        CASTELLAN_HOST: '127.0.0.1',
        CASTELLAN_PORT: new URL(t.url).port,
        TLS_PORT: String((tls.address() as AddressInfo).port),
        CA_FILE: join(dir, 'tls.crt'),
        ACCOUNT: E2E_ACCOUNT_ID,
        KEY_ID: admin.accessKeyId,
        SECRET: admin.secretAccessKey,
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ checks: CHECKS, failures: [] });
  });

  it('stores, copies, lists and deletes objects in the S3 example with AWS::S3, bucket.delete! included', async () => {
    const { stdout } = await promisify(execFile)(RUBY, [S3_SCRIPT], {
      env: { PATH: process.env['PATH'], HOME: dir, S3_HOST: '127.0.0.1', S3_PORT: new URL(s3.url).port, KEY_ID: admin.accessKeyId, SECRET: admin.secretAccessKey },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ checks: S3_CHECKS, failures: [] });
  });
});
