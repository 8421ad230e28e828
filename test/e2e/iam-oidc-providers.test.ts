/**
 * IAM OpenID Connect providers over the wire with @aws-sdk/client-iam and the AWS CLI v2: the whole
 * life of a provider (client ids, thumbprints, tags), the account summary, and AWS's errors.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
  ListOpenIDConnectProviderTagsCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  TagOpenIDConnectProviderCommand,
  UntagOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { AWS_CLI as AWS, awsCliEnv } from './helpers/aws-cli.js';

const run = promisify(execFile);
const THUMB = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';

describe('IAM OIDC providers over the wire', () => {
  let t: TestCastellan;
  let iam: IAMClient;
  beforeAll(async () => {
    t = await startTestCastellan();
    iam = t.iam();
  });
  afterAll(() => t?.dispose());

  it('creates, reads, changes and deletes a provider with the SDK', async () => {
    const arn = `arn:aws:iam::${E2E_ACCOUNT_ID}:oidc-provider/idp.example.com/realm`;
    const created = await iam.send(new CreateOpenIDConnectProviderCommand({
      Url: 'https://idp.example.com/realm', ClientIDList: ['app'], ThumbprintList: [THUMB], Tags: [{ Key: 'team', Value: 'a' }],
    }));
    expect(created).toMatchObject({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'team', Value: 'a' }] });
    const again = await sdkError(() => iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://idp.example.com/realm', ThumbprintList: [] })));
    expect(again).toMatchObject({ name: 'EntityAlreadyExistsException', message: 'Provider with url https://idp.example.com/realm already exists.' });

    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'cli' }));
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'app' }));
    await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: [] }));
    await iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await iam.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, TagKeys: ['team'] }));
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got).toMatchObject({ Url: 'idp.example.com/realm', ClientIDList: ['cli'], Tags: [{ Key: 'env', Value: 'prod' }] });
    expect(got.ThumbprintList ?? []).toEqual([]);
    expect(got.CreateDate).toBeInstanceOf(Date);
    expect((await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([{ Arn: arn }]);
    expect((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap?.['Providers' as never]).toBe(1);

    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    const gone = await sdkError(() => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', message: `OpenIDConnect Provider not found for arn ${arn}` });
    expect((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap?.['Providers' as never]).toBe(0);
  });

  it('creates a provider without ThumbprintList, which the SDK leaves out (AWS has made it optional)', async () => {
    const arn = `arn:aws:iam::${E2E_ACCOUNT_ID}:oidc-provider/nothumb.example.com`;
    const created = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://nothumb.example.com', ClientIDList: ['sts.amazonaws.com'] }));
    expect(created.OpenIDConnectProviderArn).toBe(arn);
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got).toMatchObject({ Url: 'nothumb.example.com', ClientIDList: ['sts.amazonaws.com'] });
    expect(got.ThumbprintList ?? []).toEqual([]);
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  });

  it.each([
    ['an http URL', { Url: 'http://idp.example.com', ThumbprintList: [] }, 'InvalidInputException', undefined],
    ['a short thumbprint', { Url: 'https://idp.example.com', ThumbprintList: ['abc'] }, 'ValidationError', undefined],
    // AWS's own words for six thumbprints (its limit is five, whatever the message says).
    ['six thumbprints', { Url: 'https://idp.example.com', ThumbprintList: ['1', '2', '3', '4', '5', '6'].map((d) => d.repeat(40)) }, 'InvalidInputException', 'Thumbprint list must contain fewer than 5 entries.'],
  ])('refuses %s', async (_name, input, code, message) => {
    expect(await sdkError(() => iam.send(new CreateOpenIDConnectProviderCommand(input)))).toMatchObject({ name: code, ...(message ? { message } : {}) });
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? []).toEqual([]);
  });

  it('works from the AWS CLI v2', async () => {
    const env = awsCliEnv(t.root);
    const aws = async (...args: string[]) => {
      const { stdout } = await run(AWS, ['--endpoint-url', t.url, '--output', 'json', ...args], { env });
      return stdout.trim() ? JSON.parse(stdout) : {};
    };
    const { OpenIDConnectProviderArn: arn } = await aws('iam', 'create-open-id-connect-provider', '--url', 'https://cli.example.com', '--client-id-list', 'sts.amazonaws.com', '--thumbprint-list', THUMB);
    expect(arn).toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:oidc-provider/cli.example.com`);
    expect(await aws('iam', 'get-open-id-connect-provider', '--open-id-connect-provider-arn', arn)).toMatchObject({ Url: 'cli.example.com', ClientIDList: ['sts.amazonaws.com'] });
    await aws('iam', 'delete-open-id-connect-provider', '--open-id-connect-provider-arn', arn);
    expect((await aws('iam', 'list-open-id-connect-providers')).OpenIDConnectProviderList).toEqual([]);
  });
});
