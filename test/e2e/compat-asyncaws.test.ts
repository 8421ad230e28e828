/**
 * AsyncAws Core (Debian's php-async-aws-core 1.18, PHP) against Castellan's STS
 * (test/e2e/asyncaws/sts.php): GetCallerIdentity, AssumeRole with session tags and a session
 * policy and the role session's own calls, GetSessionToken, AssumeRoleWithWebIdentity without
 * credentials (a loopback OpenID Connect issuer's token), and AWS's errors for a missing role, bad
 * inputs, a wrong secret, an unknown key and a token signed by another key. With CASTELLAN_PHP set (CI sets it) that PHP must load
 * AsyncAws Core, or the test fails; unset, it runs /usr/bin/php and is reported skipped when that
 * cannot.
 */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateAccessKeyCommand, CreateOpenIDConnectProviderCommand, CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { startOidcIssuer, type TestOidcIssuer } from './helpers/oidc-issuer.js';
import { runsCleanly } from './helpers/tool-available.js';

/** A PHP named by the environment is required to run the test, never skipped. */
const REQUIRED_PHP = process.env['CASTELLAN_PHP'] || undefined;
const PHP = REQUIRED_PHP ?? '/usr/bin/php';
const AUTOLOAD = '/usr/share/php/AsyncAws/Core/autoload.php';
const SCRIPT = fileURLToPath(new URL('./asyncaws/sts.php', import.meta.url));
/** The checks the script makes; fewer would mean one was skipped. */
const CHECKS = 15;
const CLIENT_ID = 'php-app';

const hasAsyncAws = () => runsCleanly(PHP, ['-r', `require '${AUTOLOAD}'; exit(class_exists('AsyncAws\\\\Core\\\\Sts\\\\StsClient') ? 0 : 1);`]);

describe.skipIf(REQUIRED_PHP === undefined && !hasAsyncAws())('AsyncAws Core against Castellan', () => {
  let t: TestCastellan;
  let issuer: TestOidcIssuer;
  let key: { AccessKeyId?: string; SecretAccessKey?: string };
  let webRole: string;
  beforeAll(async () => {
    issuer = await startOidcIssuer();
    t = await startTestCastellan({ oidcAllowHttpLoopback: true, oidcAllowNetwork: ['127.0.0.1'] });
    const iam = t.iam();
    const oidc = (await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer.url, ClientIDList: [CLIENT_ID], ThumbprintList: ['0'.repeat(40)] }))).OpenIDConnectProviderArn!;
    webRole = (await iam.send(new CreateRoleCommand({
      RoleName: 'php-web',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: oidc }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${issuer.host}:aud`]: CLIENT_ID } } }] }),
    }))).Role!.Arn!;
    await iam.send(new CreateUserCommand({ UserName: 'php' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'php',
      PolicyName: 'assume',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }] }),
    }));
    await iam.send(new CreateRoleCommand({
      RoleName: 'php-role',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    }));
    key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'php' }))).AccessKey!;
  });
  afterAll(async () => {
    await t?.dispose();
    await issuer?.close();
  });

  it('has a PHP that loads AsyncAws Core (Debian’s php-cli and php-async-aws-core)', () => {
    expect(hasAsyncAws(), `${PHP} cannot load ${AUTOLOAD}`).toBe(true);
  });

  it('assumes a role, gets a session token and is refused as AWS refuses', async () => {
    const { stdout } = await promisify(execFile)(PHP, [SCRIPT], {
      env: {
        PATH: process.env['PATH'],
        HOME: tmpdir(),
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        CASTELLAN_URL: t.url,
        CASTELLAN_ACCOUNT_ID: E2E_ACCOUNT_ID,
        USER_KEY_ID: key.AccessKeyId!,
        USER_SECRET: key.SecretAccessKey!,
        WEB_ROLE_ARN: webRole,
        WEB_TOKEN: await issuer.token({ sub: 'user-1', aud: CLIENT_ID }),
        WEB_TOKEN_FOREIGN: await issuer.token({ sub: 'user-1', aud: CLIENT_ID }, { key: 'foreign' }),
      },
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ checks: CHECKS, failures: [] });
  });
});
