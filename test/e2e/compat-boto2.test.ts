/**
 * boto 2 (Debian's python3-boto 2.49: its own SigV4 signer, Query serializer and XML parser, older
 * than botocore) against Castellan's IAM and STS (test/e2e/boto2/iam_sts.py): users, groups, inline
 * and managed policies, access keys, login profile, signing and server certificates, virtual MFA,
 * roles and instance profiles, SAML provider, alias, password policy, account summary, credential
 * report, then GetSessionToken, AssumeRole and GetFederationToken, with AWS's error codes along the
 * way; and its unsigned STS calls (test/e2e/boto2/federation.py): AssumeRoleWithWebIdentity with a
 * token of a loopback OpenID Connect issuer and AssumeRoleWithSAML with a signed SAML response. With CASTELLAN_PYTHON set (CI sets it) that Python must import boto, or the test fails;
 * unset, it runs with /usr/bin/python3 and is reported skipped when that cannot import boto.
 */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, CreateSAMLProviderCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSamlIdp } from '../../packages/server/src/services/sts/test-saml-idp.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { startOidcIssuer, type TestOidcIssuer } from './helpers/oidc-issuer.js';
import { runsCleanly } from './helpers/tool-available.js';

/** A Python named by the environment is required to run the test, never skipped. */
const REQUIRED_PYTHON = process.env['CASTELLAN_PYTHON'] || undefined;
const PYTHON = REQUIRED_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./boto2/iam_sts.py', import.meta.url));
const FEDERATION = fileURLToPath(new URL('./boto2/federation.py', import.meta.url));
/** The checks each script makes; fewer would mean one was skipped. */
const CHECKS = 70;
const FEDERATION_CHECKS = 6;
const CLIENT_ID = 'boto2-app';

const hasBoto = () => runsCleanly(PYTHON, ['-c', 'import boto']);

describe.skipIf(REQUIRED_PYTHON === undefined && !hasBoto())('boto 2 against Castellan', () => {
  let t: TestCastellan;
  let issuer: TestOidcIssuer;
  const run = async (script: string, env: Record<string, string> = {}) => {
    const { stdout } = await promisify(execFile)(PYTHON, [script], {
      env: {
        PATH: process.env['PATH'],
        // boto 2 reads ~/.boto and /etc/boto.cfg unless BOTO_CONFIG names another file.
        HOME: tmpdir(),
        BOTO_CONFIG: '/dev/null',
        CASTELLAN_URL: t.url,
        CASTELLAN_ACCOUNT_ID: E2E_ACCOUNT_ID,
        ...env,
      },
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as { checks: number; failures: string[] };
  };
  beforeAll(async () => {
    issuer = await startOidcIssuer();
    t = await startTestCastellan({ oidcAllowHttpLoopback: true, oidcAllowNetwork: ['127.0.0.1'] });
  });
  afterAll(async () => {
    await t?.dispose();
    await issuer?.close();
  });

  it('has a Python that imports boto (Debian’s python3-boto)', () => {
    expect(hasBoto(), `${PYTHON} cannot import boto`).toBe(true);
  });

  it('runs IAM and STS sessions with AWS’s answers, and leaves nothing behind', async () => {
    const result = await run(SCRIPT, { AWS_ACCESS_KEY_ID: t.root.accessKeyId, AWS_SECRET_ACCESS_KEY: t.root.secretAccessKey });
    expect(result).toEqual({ checks: CHECKS, failures: [] });
  });

  it('assumes roles with a web identity token and a SAML response, unsigned, and is refused foreign ones', async () => {
    const iam = t.iam();
    const listRoles = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }] });
    const oidc = (await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer.url, ClientIDList: [CLIENT_ID], ThumbprintList: ['0'.repeat(40)] }))).OpenIDConnectProviderArn!;
    const webRole = (await iam.send(new CreateRoleCommand({
      RoleName: 'boto2-web',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: oidc }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${issuer.host}:aud`]: CLIENT_ID } } }] }),
    }))).Role!.Arn!;
    const idp = testSamlIdp();
    const samlProvider = (await iam.send(new CreateSAMLProviderCommand({ Name: 'boto2-idp', SAMLMetadataDocument: idp.metadata }))).SAMLProviderArn!;
    const samlRole = (await iam.send(new CreateRoleCommand({
      RoleName: 'boto2-saml',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: samlProvider }, Action: 'sts:AssumeRoleWithSAML', Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } }] }),
    }))).Role!.Arn!;
    for (const RoleName of ['boto2-web', 'boto2-saml']) await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'list', PolicyDocument: listRoles }));
    const result = await run(FEDERATION, {
      WEB_ROLE_ARN: webRole,
      WEB_TOKEN: await issuer.token({ sub: 'user-1', aud: CLIENT_ID }),
      WEB_TOKEN_FOREIGN: await issuer.token({ sub: 'user-1', aud: CLIENT_ID }, { key: 'foreign' }),
      SAML_ROLE_ARN: samlRole,
      SAML_PROVIDER_ARN: samlProvider,
      SAML_RESPONSE: idp.response({ roles: [[samlRole, samlProvider]] }),
      SAML_RESPONSE_FOREIGN: idp.response({ roles: [[samlRole, samlProvider]], foreignKey: true }),
    });
    expect(result).toEqual({ checks: FEDERATION_CHECKS, failures: [] });
  });
});
