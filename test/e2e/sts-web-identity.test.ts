/**
 * AssumeRoleWithWebIdentity against a small OpenID Connect issuer on loopback: driven unsigned by
 * @aws-sdk/client-sts, by `fromWebToken` of @aws-sdk/credential-providers and by the AWS CLI;
 * each kind of bad token refused with AWS's error; the call and the session's calls in the trail.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient, ListRolesCommand, PutRolePolicyCommand, type IAMClient as IamClientType } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromWebToken } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from './helpers/aws-cli.js';
import { sdkError, stsClient } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { writeStsEndpointRuleSet } from './helpers/cli-sts-endpoint.js';
import { startOidcIssuer, type TestOidcIssuer } from './helpers/oidc-issuer.js';

const run = promisify(execFile);
const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const CLIENT_ID = 'castellan-app';
/** AWS's message when it cannot get an issuer's keys (aws/aws-cli#7194 quotes it). */
const NO_KEY = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('AssumeRoleWithWebIdentity', () => {
  let s: TestCastellan;
  let issuer: TestOidcIssuer;
  let root: IamClientType;
  let roleArn: string;
  let providerArn: string;
  /** An STS client with no credentials at all: the SDK sends these calls unsigned. */
  let anonymous: STSClient;

  beforeAll(async () => {
    issuer = await startOidcIssuer();
    // The issuer is on loopback, which OpenID Connect fetches may reach only when allowed.
    s = await startTestCastellan({ oidcAllowHttpLoopback: true, oidcAllowNetwork: ['127.0.0.1'] });
    root = s.iam();
    providerArn = (await root.send(new CreateOpenIDConnectProviderCommand({ Url: issuer.url, ClientIDList: [CLIENT_ID], ThumbprintList: ['0'.repeat(40)] }))).OpenIDConnectProviderArn!;
    const trust = policy({
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${issuer.host}:aud`]: CLIENT_ID }, StringLike: { [`${issuer.host}:sub`]: 'repo:castellan/*' } },
    });
    roleArn = (await root.send(new CreateRoleCommand({ RoleName: 'WebRole', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    await root.send(new PutRolePolicyCommand({ RoleName: 'WebRole', PolicyName: 'list', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }) }));
    anonymous = new STSClient({ endpoint: s.url, region: 'us-east-1', maxAttempts: 1, credentials: async () => { throw new Error('these calls must not need credentials'); } });
  });
  afterAll(async () => {
    await s?.dispose();
    await issuer?.close();
  });

  it('registers a loopback http issuer only when allowed, with its port in the ARN', () => {
    expect(providerArn).toBe(`${A}:oidc-provider/${issuer.host}`);
  });

  it('issues a role session for a valid token, unsigned, with AWS’s response fields', async () => {
    const token = await issuer.token({ sub: 'repo:castellan/main', aud: CLIENT_ID, amr: ['pwd'] });
    const out = await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'ci-run', WebIdentityToken: token, DurationSeconds: 900 }));
    expect(out).toMatchObject({
      SubjectFromWebIdentityToken: 'repo:castellan/main',
      Provider: providerArn,
      Audience: CLIENT_ID,
      AssumedRoleUser: { Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/WebRole/ci-run` },
    });
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(out.Credentials!.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000);
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect((await stsClient(s.url, session).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/WebRole/ci-run`);
    const iam = new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials: session, maxAttempts: 1 });
    expect((await iam.send(new ListRolesCommand({}))).Roles!.map((r) => r.RoleName)).toContain('WebRole');
  });

  it('works with fromWebToken of @aws-sdk/credential-providers', async () => {
    const token = await issuer.token({ sub: 'repo:castellan/sdk', aud: CLIENT_ID });
    const credentials = fromWebToken({ roleArn, webIdentityToken: token, roleSessionName: 'sdk-provider', clientConfig: { endpoint: s.url, region: 'us-east-1' } });
    const sts = new STSClient({ endpoint: s.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/WebRole/sdk-provider`);
  });

  it('works with the AWS CLI, which sends the call unsigned', async () => {
    const token = await issuer.token({ sub: 'repo:castellan/cli', aud: CLIENT_ID });
    // No credentials anywhere: the CLI must not need any for this call.
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true' };
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[k];
    const { stdout } = await run(
      AWS_CLI,
      ['sts', 'assume-role-with-web-identity', '--endpoint-url', s.url, '--region', 'us-east-1', '--output', 'json', '--role-arn', roleArn, '--role-session-name', 'cli', '--web-identity-token', token],
      { env },
    );
    expect(JSON.parse(stdout)).toMatchObject({ SubjectFromWebIdentityToken: 'repo:castellan/cli', Provider: providerArn, Audience: CLIENT_ID, AssumedRoleUser: { Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/WebRole/cli` } });
  });

  it('lets the AWS CLI assume the role by itself from a profile (role_arn, web_identity_token_file)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'castellan-cli-web-'));
    try {
      await writeFile(join(dir, 'token'), await issuer.token({ sub: 'repo:castellan/profile', aud: CLIENT_ID }));
      await writeFile(join(dir, 'config'), `[profile web]\nrole_arn = ${roleArn}\nweb_identity_token_file = ${join(dir, 'token')}\nrole_session_name = cli-profile\nregion = us-east-1\n`);
      // As in sts-sessions.test.ts: the CLI 2.9's credential providers reach STS through its endpoint rule set.
      await writeStsEndpointRuleSet(join(dir, 'data'), s.url);
      const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_DATA_PATH: join(dir, 'data'), HOME: dir, AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
      for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE']) delete env[k];
      const { stdout } = await run(AWS_CLI, ['--profile', 'web', '--output', 'json', 'sts', 'get-caller-identity'], { env });
      expect(JSON.parse(stdout)).toMatchObject({ Account: E2E_ACCOUNT_ID, Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/WebRole/cli-profile` });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // The SDK names its exception classes after the wire's code plus `Exception` (InvalidIdentityToken → …Exception).
  it.each([
    { name: 'not a JWT', token: async () => 'not-a-jwt-at-all', code: 'InvalidIdentityTokenException', message: 'not a valid JWT' },
    { name: 'signed by another key with the issuer’s key id', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID }, { key: 'foreign-same-kid' }), code: 'InvalidIdentityTokenException', message: 'signature' },
    { name: 'signed by a key the issuer does not publish', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID }, { key: 'foreign' }), code: 'InvalidIdentityTokenException', message: 'verification key' },
    { name: 'signed with a shared secret (HS256)', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID }, { alg: 'HS256' }), code: 'InvalidIdentityTokenException', message: 'asymmetric' },
    { name: 'signed HS256 with the issuer’s published public key as the secret (algorithm confusion)', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID }, { alg: 'HS256', key: 'public-pem' }), code: 'InvalidIdentityTokenException', message: 'asymmetric' },
    { name: 'not signed at all (alg none)', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID }, { alg: 'none' }), code: 'InvalidIdentityTokenException', message: 'asymmetric' },
    { name: 'larger than AWS’s 20,000 characters', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, pad: 'x'.repeat(20_000) }), code: 'ValidationError', message: '20000' },
    { name: 'expired more than the five minutes of skew ago', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, exp: Math.floor(Date.now() / 1000) - 310 }), code: 'ExpiredTokenException', message: 'Token expired' },
    { name: 'not valid yet (nbf)', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, nbf: Math.floor(Date.now() / 1000) + 600 }), code: 'InvalidIdentityTokenException', message: 'nbf' },
    { name: 'for another audience', token: () => issuer.token({ sub: 'repo:castellan/x', aud: 'someone-else' }), code: 'InvalidIdentityTokenException', message: 'Incorrect token audience' },
    { name: 'from an issuer with no provider in the account', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, iss: 'https://unknown.example.com' }), code: 'InvalidIdentityTokenException', message: 'No OpenIDConnect provider found in your account for https://unknown.example.com' },
    { name: 'without exp', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, exp: undefined }), code: 'InvalidIdentityTokenException', message: 'exp' },
    // RFC 7519: sub is a string, aud a string or strings; OpenID Connect: amr strings. A claim of another
    // type is refused, never converted (["repo:castellan/a", "b"] would match `repo:castellan/*` as "repo:castellan/a,b").
    { name: 'whose sub is an array', token: () => issuer.token({ sub: ['repo:castellan/a', 'b'] as unknown as string, aud: CLIENT_ID }), code: 'InvalidIdentityTokenException', message: 'sub claim' },
    { name: 'whose sub is an array of one', token: () => issuer.token({ sub: ['repo:castellan/main'] as unknown as string, aud: CLIENT_ID }), code: 'InvalidIdentityTokenException', message: 'sub claim' },
    { name: 'whose sub is a number', token: () => issuer.token({ sub: 12 as unknown as string, aud: CLIENT_ID }), code: 'InvalidIdentityTokenException', message: 'sub claim' },
    { name: 'whose aud holds a number beside the client id', token: () => issuer.token({ sub: 'repo:castellan/x', aud: [CLIENT_ID, 7] as unknown as string[] }), code: 'InvalidIdentityTokenException', message: 'aud claim' },
    { name: 'whose amr holds a number', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, amr: ['pwd', 1] }), code: 'InvalidIdentityTokenException', message: 'amr claim' },
    { name: 'whose amr is an object', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, amr: { pwd: true } }), code: 'InvalidIdentityTokenException', message: 'amr claim' },
    { name: 'whose source identity claim is a number', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, 'https://aws.amazon.com/source_identity': 42 }), code: 'InvalidIdentityTokenException', message: 'https://aws.amazon.com/source_identity claim' },
    { name: 'whose tag value is a number', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, 'https://aws.amazon.com/tags': { principal_tags: { team: [5] } } }), code: 'InvalidIdentityTokenException', message: 'https://aws.amazon.com/tags claim' },
    { name: 'whose tag has two values', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, 'https://aws.amazon.com/tags': { principal_tags: { team: ['blue', 'red'] } } }), code: 'InvalidIdentityTokenException', message: 'https://aws.amazon.com/tags claim' },
    { name: 'whose transitive tag keys hold a number', token: () => issuer.token({ sub: 'repo:castellan/x', aud: CLIENT_ID, 'https://aws.amazon.com/tags': { transitive_tag_keys: [5] } }), code: 'InvalidIdentityTokenException', message: 'https://aws.amazon.com/tags claim' },
    { name: 'whose subject the trust policy does not allow', token: () => issuer.token({ sub: 'repo:other/main', aud: CLIENT_ID }), code: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' },
  ])('refuses a token $name ($code)', async ({ token, code, message }) => {
    const e = await sdkError(async () => anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'bad', WebIdentityToken: await token() })));
    expect(e.name).toBe(code);
    expect(e.message).toContain(message);
  });

  it('accepts a token up to five minutes after its exp, the clock skew IAM allows', async () => {
    const token = await issuer.token({ sub: 'repo:castellan/skew', aud: CLIENT_ID, exp: Math.floor(Date.now() / 1000) - 240 });
    const out = await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'skew', WebIdentityToken: token }));
    expect(out.SubjectFromWebIdentityToken).toBe('repo:castellan/skew');
  });

  it('applies the token’s AWS session-tag and source-identity claims, which need sts:TagSession and sts:SetSourceIdentity', async () => {
    const claims = { sub: 'repo:castellan/tags', aud: CLIENT_ID, 'https://aws.amazon.com/tags': { principal_tags: { team: ['blue'] }, transitive_tag_keys: ['team'] }, 'https://aws.amazon.com/source_identity': 'alice' };
    // WebRole's trust policy allows neither.
    const denied = await sdkError(async () => anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'tags', WebIdentityToken: await issuer.token(claims) })));
    expect(denied).toMatchObject({ name: 'AccessDenied', message: 'Not authorized to perform sts:TagSession' });

    const trust = policy({ Effect: 'Allow', Principal: { Federated: providerArn }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity'], Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } });
    const tagged = (await root.send(new CreateRoleCommand({ RoleName: 'TaggedWebRole', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    await root.send(new PutRolePolicyCommand({ RoleName: 'TaggedWebRole', PolicyName: 'list', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue', 'aws:SourceIdentity': 'alice' } } }) }));
    const out = await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: tagged, RoleSessionName: 'tags', WebIdentityToken: await issuer.token(claims) }));
    expect(out.SourceIdentity).toBe('alice');
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect((await new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials: session, maxAttempts: 1 }).send(new ListRolesCommand({}))).Roles!.length).toBeGreaterThan(0);
  });

  it('answers IDPCommunicationError when the issuer cannot be reached', async () => {
    const gone = await startOidcIssuer();
    await root.send(new CreateOpenIDConnectProviderCommand({ Url: gone.url, ClientIDList: [CLIENT_ID], ThumbprintList: ['0'.repeat(40)] }));
    const token = await gone.token({ sub: 'repo:castellan/x', aud: CLIENT_ID });
    await gone.close();
    const e = await sdkError(() => anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'gone', WebIdentityToken: token })));
    expect(e).toMatchObject({ name: 'IDPCommunicationErrorException', status: 400, message: NO_KEY });
  });

  it('refuses to fetch from an internal address unless allowed, answering as for an unreachable issuer', async () => {
    // The same issuer, on a server that was not told loopback may be reached.
    const guarded = await startTestCastellan({ oidcAllowHttpLoopback: true });
    try {
      const iam = guarded.iam();
      const arn = (await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer.url, ClientIDList: [CLIENT_ID] }))).OpenIDConnectProviderArn!;
      const trust = policy({ Effect: 'Allow', Principal: { Federated: arn }, Action: 'sts:AssumeRoleWithWebIdentity' });
      const role = (await iam.send(new CreateRoleCommand({ RoleName: 'GuardedWebRole', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
      const before = issuer.fetches.get('/.well-known/openid-configuration');
      const client = new STSClient({ endpoint: guarded.url, region: 'us-east-1', maxAttempts: 1, credentials: async () => { throw new Error('unsigned'); } });
      const e = await sdkError(async () => client.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: role, RoleSessionName: 'guarded', WebIdentityToken: await issuer.token({ sub: 'repo:castellan/g', aud: CLIENT_ID }) })));
      // Nothing about the address or the refusal: the text of an issuer that cannot be reached.
      expect(e).toMatchObject({ name: 'IDPCommunicationErrorException', status: 400, message: NO_KEY });
      expect(issuer.fetches.get('/.well-known/openid-configuration')).toBe(before);
    } finally {
      await guarded.dispose();
    }
  });

  it('fetches the discovery document and keys once for many calls', async () => {
    for (let i = 0; i < 3; i++) {
      const token = await issuer.token({ sub: `repo:castellan/n${i}`, aud: CLIENT_ID });
      await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: `n${i}`, WebIdentityToken: token }));
    }
    expect(issuer.fetches.get('/.well-known/openid-configuration')).toBe(1);
    // The unknown key id of the foreign-key case above may cause one refetch, no more.
    expect(issuer.fetches.get('/jwks.json')).toBeLessThanOrEqual(2);
  });

  it('finds the provider by the token’s iss exactly: a final slash is part of the provider’s URL, as for Auth0 issuers', async () => {
    const slashed = `${issuer.url}/`;
    // No provider is named with the slash yet: the one without it does not answer for it.
    const token = () => issuer.token({ sub: 'repo:castellan/slash', aud: CLIENT_ID, iss: slashed });
    const missing = await sdkError(async () => anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'slash', WebIdentityToken: await token() })));
    expect(missing).toMatchObject({ name: 'InvalidIdentityTokenException', status: 400, message: `No OpenIDConnect provider found in your account for ${slashed}` });

    const arn = (await root.send(new CreateOpenIDConnectProviderCommand({ Url: slashed, ClientIDList: [CLIENT_ID] }))).OpenIDConnectProviderArn!;
    expect(arn).toBe(`${A}:oidc-provider/${issuer.host}/`);
    const trust = policy({ Effect: 'Allow', Principal: { Federated: arn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${issuer.host}/:aud`]: CLIENT_ID, [`${issuer.host}/:sub`]: 'repo:castellan/slash' } } });
    const slashRole = (await root.send(new CreateRoleCommand({ RoleName: 'SlashWebRole', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    const out = await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: slashRole, RoleSessionName: 'slash', WebIdentityToken: await token() }));
    expect(out).toMatchObject({ Provider: arn, SubjectFromWebIdentityToken: 'repo:castellan/slash' });
    // And the provider without the slash still answers only for the issuer without it.
    expect((await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'plain', WebIdentityToken: await issuer.token({ sub: 'repo:castellan/plain', aud: CLIENT_ID }) }))).Provider).toBe(providerArn);
  });

  it('refuses every other operation unsigned (MissingAuthenticationToken)', async () => {
    const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('records the call in the role’s account as a WebIdentityUser, and the session’s calls with webIdFederationData', async () => {
    const token = await issuer.token({ sub: 'repo:castellan/audit', aud: CLIENT_ID });
    const out = await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'audited', WebIdentityToken: token }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    await new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials: session, maxAttempts: 1 }).send(new ListRolesCommand({}));

    const events = async (attribute: { AttributeKey: 'EventName' | 'AccessKeyId'; AttributeValue: string }) => {
      for (let i = 0; i < 50; i++) {
        const found = (await s.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [attribute] }))).Events ?? [];
        if (found.length > 0) return found.map((e) => JSON.parse(e.CloudTrailEvent!));
        await new Promise((r) => setTimeout(r, 100));
      }
      return [];
    };
    const assumed = (await events({ AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithWebIdentity' })).find((r) => r.requestParameters?.roleSessionName === 'audited');
    expect(assumed).toMatchObject({
      userIdentity: { type: 'WebIdentityUser', principalId: `${issuer.host}:${CLIENT_ID}:repo:castellan/audit`, userName: 'repo:castellan/audit', identityProvider: issuer.host },
      recipientAccountId: E2E_ACCOUNT_ID,
      requestParameters: { roleArn, webIdentityToken: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      responseElements: { subjectFromWebIdentityToken: 'repo:castellan/audit', provider: providerArn, audience: CLIENT_ID },
    });
    expect(JSON.stringify(assumed)).not.toContain(token);
    const refused = (await events({ AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithWebIdentity' })).find((r) => r.errorCode === 'ExpiredTokenException');
    expect(refused).toMatchObject({ recipientAccountId: E2E_ACCOUNT_ID, userIdentity: { type: 'Unknown' } });

    const used = (await events({ AttributeKey: 'AccessKeyId', AttributeValue: session.accessKeyId })).find((r) => r.eventName === 'ListRoles');
    expect(used.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/WebRole/audited`,
      sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn }, webIdFederationData: { federatedProvider: providerArn, attributes: {} } },
    });
  });
});
