/**
 * SAML federation over the wire: SAML providers with @aws-sdk/client-iam, AssumeRoleWithSAML sent
 * unsigned by @aws-sdk/client-sts and by the AWS CLI, with assertions signed by a key made in the
 * test; tampered, wrongly addressed, expired and replayed assertions refused; the trail.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  DeleteSAMLProviderCommand,
  GetAccountSummaryCommand,
  GetSAMLProviderCommand,
  IAMClient,
  ListRolesCommand,
  ListSAMLProvidersCommand,
  ListSAMLProviderTagsCommand,
  PutRolePolicyCommand,
  TagSAMLProviderCommand,
  UntagSAMLProviderCommand,
  UpdateSAMLProviderCommand,
  type IAMClient as IamClientType,
} from '@aws-sdk/client-iam';
import { AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from './helpers/aws-cli.js';
import { testSamlIdp, type TestSamlIdp, type TestSamlResponseOptions } from '../../packages/server/src/services/sts/test-saml-idp.js';
import { sdkError, stsClient } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const run = promisify(execFile);
const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('SAML providers and AssumeRoleWithSAML', () => {
  let s: TestCastellan;
  let idp: TestSamlIdp;
  let root: IamClientType;
  let providerArn: string;
  let roleArn: string;
  let anonymous: STSClient;
  const opts = (o: Partial<TestSamlResponseOptions> = {}): TestSamlResponseOptions => ({ roles: [[roleArn, providerArn]], ...o });
  const assume = (assertion: string, role = roleArn) => anonymous.send(new AssumeRoleWithSAMLCommand({ RoleArn: role, PrincipalArn: providerArn, SAMLAssertion: assertion }));

  beforeAll(async () => {
    idp = testSamlIdp();
    s = await startTestCastellan();
    root = s.iam();
    const created = await root.send(new CreateSAMLProviderCommand({ Name: 'Corp', SAMLMetadataDocument: idp.metadata, Tags: [{ Key: 'team', Value: 'id' }] }));
    providerArn = created.SAMLProviderArn!;
    const trust = policy({
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' }, StringLike: { 'saml:sub': '*@example.com' } },
    });
    roleArn = (await root.send(new CreateRoleCommand({ RoleName: 'SamlAdmins', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    await root.send(new PutRolePolicyCommand({ RoleName: 'SamlAdmins', PolicyName: 'list', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/dept': 'eng' } } }) }));
    anonymous = new STSClient({ endpoint: s.url, region: 'us-east-1', maxAttempts: 1, credentials: async () => { throw new Error('these calls must not need credentials'); } });
  });
  afterAll(() => s?.dispose());

  it('manages providers as IAM does: create, get, list, update, tags, summary, delete', async () => {
    expect(providerArn).toBe(`${A}:saml-provider/Corp`);
    const got = await root.send(new GetSAMLProviderCommand({ SAMLProviderArn: providerArn }));
    expect(got.SAMLMetadataDocument).toBe(idp.metadata);
    expect(got.Tags).toEqual([{ Key: 'team', Value: 'id' }]);
    expect((await root.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!.map((p) => p.Arn)).toEqual([providerArn]);
    await root.send(new TagSAMLProviderCommand({ SAMLProviderArn: providerArn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await root.send(new UntagSAMLProviderCommand({ SAMLProviderArn: providerArn, TagKeys: ['team'] }));
    expect((await root.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: providerArn }))).Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect((await root.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: providerArn, SAMLMetadataDocument: idp.metadata }))).SAMLProviderArn).toBe(providerArn);
    expect((await root.send(new GetAccountSummaryCommand({}))).SummaryMap!['Providers']).toBe(1);

    const other = testSamlIdp('https://other.castellan.test/saml');
    await root.send(new CreateSAMLProviderCommand({ Name: 'Other', SAMLMetadataDocument: other.metadata }));
    expect((await sdkError(() => root.send(new CreateSAMLProviderCommand({ Name: 'Other', SAMLMetadataDocument: other.metadata })))).name).toBe('EntityAlreadyExistsException');
    await root.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: `${A}:saml-provider/Other` }));
    expect((await sdkError(() => root.send(new GetSAMLProviderCommand({ SAMLProviderArn: `${A}:saml-provider/Other` })))).name).toBe('NoSuchEntityException');
  });

  it('answers every provider’s ValidUntil: the metadata’s validUntil, else 100 years after its creation', async () => {
    // Ansible's iam_saml_federation reads GetSAMLProvider's ValidUntil unconditionally (a KeyError without it).
    const hundredYearsAfter = (d: Date) => new Date(new Date(d).setUTCFullYear(d.getUTCFullYear() + 100));
    const corp = await root.send(new GetSAMLProviderCommand({ SAMLProviderArn: providerArn }));
    expect(corp.ValidUntil).toEqual(hundredYearsAfter(corp.CreateDate!));
    const dated = testSamlIdp('https://dated.castellan.test/saml').metadata.replace('entityID=', 'validUntil="2031-02-03T04:05:06Z" entityID=');
    const datedArn = (await root.send(new CreateSAMLProviderCommand({ Name: 'Dated', SAMLMetadataDocument: dated }))).SAMLProviderArn!;
    try {
      expect((await root.send(new GetSAMLProviderCommand({ SAMLProviderArn: datedArn }))).ValidUntil).toEqual(new Date('2031-02-03T04:05:06Z'));
      const listed = (await root.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!;
      expect(Object.fromEntries(listed.map((p) => [p.Arn, p.ValidUntil]))).toEqual({ [providerArn]: corp.ValidUntil, [datedArn]: new Date('2031-02-03T04:05:06Z') });
      // New metadata without a validUntil: the provider's hundred years again.
      await root.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: datedArn, SAMLMetadataDocument: idp.metadata }));
      const updated = await root.send(new GetSAMLProviderCommand({ SAMLProviderArn: datedArn }));
      expect(updated.ValidUntil).toEqual(hundredYearsAfter(updated.CreateDate!));
    } finally {
      await root.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: datedArn }));
    }
  });

  it.each([
    { name: 'not XML', doc: 'x'.repeat(1200), message: 'Could not parse metadata' },
    { name: 'without a signing certificate', doc: () => idp.metadata.replace(/<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>/, `<!-- ${'no key '.repeat(200)} -->`), message: 'no signing certificate' },
    { name: 'with a broken certificate', doc: () => idp.metadata.replace(/<ds:X509Certificate>[^<]{40}/, '<ds:X509Certificate>AAAA'), message: 'not a valid X.509 certificate' },
  ])('refuses metadata $name (InvalidInput), and creates nothing', async ({ doc, message }) => {
    const e = await sdkError(() => root.send(new CreateSAMLProviderCommand({ Name: 'Bad', SAMLMetadataDocument: typeof doc === 'string' ? doc : doc() })));
    expect(e).toMatchObject({ name: 'InvalidInputException', status: 400 });
    expect(e.message).toContain(message);
    expect((await root.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!.map((p) => p.Arn)).toEqual([providerArn]);
  });

  it('issues a role session for a signed assertion, unsigned, with AWS’s response fields and attributes', async () => {
    const out = await assume(idp.response(opts({ attributes: { 'https://aws.amazon.com/SAML/Attributes/PrincipalTag:dept': ['eng'], 'https://aws.amazon.com/SAML/Attributes/SourceIdentity': ['alice'] } })));
    expect(out).toMatchObject({
      Subject: 'alice@example.com',
      SubjectType: 'persistent',
      Issuer: idp.entityId,
      Audience: 'https://signin.aws.amazon.com/saml',
      SourceIdentity: 'alice',
      AssumedRoleUser: { Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/SamlAdmins/alice@example.com` },
    });
    expect(out.NameQualifier).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect((await stsClient(s.url, session).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/SamlAdmins/alice@example.com`);
    // The PrincipalTag attribute became a session tag the role's policy requires.
    await new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials: session, maxAttempts: 1 }).send(new ListRolesCommand({}));
  });

  it('takes the session length from DurationSeconds alone: the SessionDuration attribute is for console sign-in', async () => {
    // IdPs commonly send SessionDuration=43200; the role allows an hour (its default MaxSessionDuration).
    const longAttribute = { attributes: { 'https://aws.amazon.com/SAML/Attributes/SessionDuration': ['43200'] } };
    const hour = await assume(idp.response(opts(longAttribute)));
    const left = hour.Credentials!.Expiration!.getTime() - Date.now();
    expect(left).toBeGreaterThan(3500_000);
    expect(left).toBeLessThanOrEqual(3600_000);
    // A value outside 900-43200 is no error either: the API does not read it.
    const odd = await assume(idp.response(opts({ attributes: { 'https://aws.amazon.com/SAML/Attributes/SessionDuration': ['60'] } })));
    expect(odd.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(3500_000);
    const asked = await anonymous.send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: providerArn, DurationSeconds: 900, SAMLAssertion: idp.response(opts(longAttribute)) }));
    expect(asked.Credentials!.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000);
    const tooLong = await sdkError(() => anonymous.send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: providerArn, DurationSeconds: 7200, SAMLAssertion: idp.response(opts(longAttribute)) })));
    expect(tooLong).toMatchObject({ name: 'ValidationError', status: 400, message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' });
  });

  it('ends the session at the IdP’s SessionNotOnOrAfter when that comes before DurationSeconds', async () => {
    const capped = await assume(idp.response(opts({ sessionNotOnOrAfterIn: 1200 })));
    const left = capped.Credentials!.Expiration!.getTime() - Date.now();
    expect(left).toBeGreaterThan(1100_000);
    expect(left).toBeLessThanOrEqual(1200_000);
    // Later than the hour: the hour stands.
    const hour = await assume(idp.response(opts({ sessionNotOnOrAfterIn: 7200 })));
    expect(hour.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(3500_000);
    const ended = await sdkError(() => assume(idp.response(opts({ sessionNotOnOrAfterIn: -10 }))));
    expect(ended).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
    expect(ended.message).toContain('SessionNotOnOrAfter');
  });

  it('works with the AWS CLI, which sends the call unsigned', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true' };
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[k];
    const { stdout } = await run(
      AWS_CLI,
      ['sts', 'assume-role-with-saml', '--endpoint-url', s.url, '--region', 'us-east-1', '--output', 'json', '--role-arn', roleArn, '--principal-arn', providerArn, '--saml-assertion', idp.response(opts({ sessionName: 'cli-user' }))],
      { env },
    );
    expect(JSON.parse(stdout)).toMatchObject({ Subject: 'alice@example.com', Issuer: idp.entityId, AssumedRoleUser: { Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/SamlAdmins/cli-user` } });
  });

  it.each([
    { name: 'tampered after signing', assertion: () => Buffer.from(idp.responseXml(opts()).replace('>alice@example.com</saml:NameID>', '>boss@example.com</saml:NameID>')).toString('base64'), code: 'InvalidIdentityTokenException', message: 'signature' },
    { name: 'signed by a key that is not the provider’s', assertion: () => idp.response(opts({ foreignKey: true })), code: 'InvalidIdentityTokenException', message: 'signature' },
    { name: 'not signed', assertion: () => idp.response(opts({ sign: 'none' })), code: 'InvalidIdentityTokenException', message: 'not signed' },
    { name: 'for another audience', assertion: () => idp.response(opts({ audience: 'https://sp.example.com/saml' })), code: 'InvalidIdentityTokenException', message: 'AudienceRestriction' },
    { name: 'for another recipient', assertion: () => idp.response(opts({ recipient: 'https://sp.example.com/acs' })), code: 'InvalidIdentityTokenException', message: 'Recipient' },
    { name: 'expired', assertion: () => idp.response(opts({ expiresIn: -10 })), code: 'ExpiredTokenException', message: 'expired' },
    { name: 'without a RoleSessionName', assertion: () => idp.response(opts({ sessionName: undefined })), code: 'InvalidIdentityTokenException', message: 'RoleSessionName' },
    { name: 'that does not name the role', assertion: () => idp.response({ roles: [[`${A}:role/Other`, providerArn]] }), code: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithSAML' },
    { name: 'whose subject the trust policy does not allow', assertion: () => idp.response(opts({ subject: 'mallory@evil.example' })), code: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithSAML' },
  ])('refuses an assertion $name ($code)', async ({ assertion, code, message }) => {
    const e = await sdkError(() => assume(assertion()));
    expect(e.name).toBe(code);
    expect(e.message).toContain(message);
  });

  it('refuses a replayed assertion, also after a restart', async () => {
    const assertion = idp.response(opts({ sessionName: 'once' }));
    await assume(assertion);
    expect(await sdkError(() => assume(assertion))).toMatchObject({ name: 'InvalidIdentityTokenException', message: expect.stringContaining('already been used') });
    await s.restart();
    anonymous = new STSClient({ endpoint: s.url, region: 'us-east-1', maxAttempts: 1, credentials: async () => { throw new Error('no credentials'); } });
    expect((await sdkError(() => assume(assertion))).name).toBe('InvalidIdentityTokenException');
  });

  // The replay check runs twice: before the signature check, on the id the assertion claims (a
  // read: it refuses, it never records), and after it, on the verified id (the conditional write).
  it('refuses an id already used before checking the signature, and records an id only once verified', async () => {
    const used = `_used-${Date.now()}`;
    await assume(idp.response(opts({ sessionName: 'first', assertionId: used })));
    const replayError = await sdkError(() => assume(idp.response(opts({ sessionName: 'again', assertionId: used }))));
    expect(replayError).toMatchObject({ name: 'InvalidIdentityTokenException', message: 'Invalid SAML response: the assertion has already been used.' });
    // A forgery naming the used id gets exactly the replay's answer.
    const forged = await sdkError(() => assume(idp.response(opts({ sessionName: 'forged', assertionId: used, foreignKey: true }))));
    expect({ name: forged.name, message: forged.message, status: forged.status }).toEqual({ name: replayError.name, message: replayError.message, status: replayError.status });
    // A forgery naming an unused id is refused for its signature and does not use the id up.
    const fresh = `_fresh-${Date.now()}`;
    expect(await sdkError(() => assume(idp.response(opts({ sessionName: 'forged', assertionId: fresh, foreignKey: true }))))).toMatchObject({ name: 'InvalidIdentityTokenException', message: expect.stringContaining('signature') });
    expect((await assume(idp.response(opts({ sessionName: 'genuine', assertionId: fresh })))).Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it('refuses a provider of another account or none at all', async () => {
    const e = await sdkError(() => anonymous.send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: 'arn:aws:iam::999999999999:saml-provider/Corp', SAMLAssertion: idp.response(opts()) })));
    expect(e).toMatchObject({ name: 'InvalidIdentityTokenException', message: "Specified provider doesn't exist." });
  });

  it('records the call in the role’s account as a SAMLUser, the assertion hidden', async () => {
    const assertion = idp.response(opts({ sessionName: 'audited', assertionId: '_audited-assertion-1' }));
    await assume(assertion);
    let record: Record<string, any> | undefined;
    for (let i = 0; i < 50 && !record; i++) {
      const events = (await s.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithSAML' }] }))).Events ?? [];
      record = events.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.responseElements?.assumedRoleUser?.arn?.endsWith('/audited'));
      if (!record) await new Promise((r) => setTimeout(r, 100));
    }
    expect(record).toMatchObject({
      userIdentity: { type: 'SAMLUser', userName: 'alice@example.com' },
      recipientAccountId: E2E_ACCOUNT_ID,
      // What the assertion asked for is recorded as AWS records it: its id and the session's name.
      requestParameters: { roleArn, principalArn: providerArn, sAMLAssertion: 'HIDDEN_DUE_TO_SECURITY_REASONS', sAMLAssertionID: '_audited-assertion-1', roleSessionName: 'audited' },
      responseElements: { subject: 'alice@example.com', issuer: idp.entityId },
    });
    expect(record!['resources']).toEqual([
      { ARN: roleArn, accountId: E2E_ACCOUNT_ID, type: 'AWS::IAM::Role' },
      { ARN: providerArn, accountId: E2E_ACCOUNT_ID, type: 'AWS::IAM::SAMLProvider' },
    ]);
    expect(record!['userIdentity'].principalId).toBe(`${record!['responseElements'].nameQualifier}:alice@example.com`);
    expect(JSON.stringify(record)).not.toContain(assertion);
  });
});
