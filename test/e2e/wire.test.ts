import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateSAMLProviderCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient, iamClient, sdkError, stsClient } from './helpers/aws-clients.js';
import { signedFetch } from './helpers/signed-fetch.js';
import { startWireServer, TEST_ACCOUNT_ID, TEST_ROOT_KEY, type WireServer } from './helpers/wire-server.js';

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer();
});
afterAll(async () => {
  await server?.close();
});

describe('the wire, driven by the AWS SDK over a real socket', () => {
  it('STS GetCallerIdentity answers the root caller', async () => {
    // Given the SDK pointed at the server with the test root key
    const sts = stsClient(server.url, TEST_ROOT_KEY, 'eu-west-1');
    // When it asks who it is
    const out = await sts.send(new GetCallerIdentityCommand({}));
    // Then the server answers with the account root, and audits the TCP peer as source
    expect(out).toMatchObject({ Account: TEST_ACCOUNT_ID, Arn: `arn:aws:iam::${TEST_ACCOUNT_ID}:root`, UserId: TEST_ACCOUNT_ID });
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const event = server.audit.events.find((e) => e.requestId === out.$metadata.requestId);
    expect(event).toMatchObject({ service: 'sts', eventName: 'GetCallerIdentity', region: 'eu-west-1', sourceIp: '127.0.0.1' });
  });

  it('an IAM operation Castellan does not implement answers NotImplemented naming it', async () => {
    const err = await sdkError(() => iamClient(server.url, TEST_ROOT_KEY).send(new CreateSAMLProviderCommand({ Name: 'idp', SAMLMetadataDocument: 'x'.repeat(1000) })));
    expect(err).toMatchObject({ name: 'NotImplemented', status: 501 });
    expect(err.message).toContain('CreateSAMLProvider');
  });

  it('a CloudTrail operation without handler answers NotImplemented over JSON 1.1', async () => {
    const err = await sdkError(() => cloudTrailClient(server.url, TEST_ROOT_KEY).send(new LookupEventsCommand({})));
    expect(err).toMatchObject({ name: 'NotImplemented', status: 501 });
    expect(err.message).toContain('LookupEvents');
  });

  it('a bad signature is SignatureDoesNotMatch', async () => {
    const err = await sdkError(() => iamClient(server.url, { ...TEST_ROOT_KEY, secretAccessKey: 'not-the-right-secret' }).send(new ListUsersCommand({})));
    expect(err).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  it('an unknown key is InvalidClientTokenId', async () => {
    const err = await sdkError(() => stsClient(server.url, { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'whatever' }).send(new GetCallerIdentityCommand({})));
    expect(err).toMatchObject({ name: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' });
  });

  it('a stale X-Amz-Date is SignatureDoesNotMatch "Signature expired", as AWS answers', async () => {
    const res = await signedFetch({
      url: `${server.url}/`,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      service: 'sts',
      credentials: TEST_ROOT_KEY,
      signingDate: new Date(Date.now() - 60 * 60_000),
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(res.text).toMatch(/Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it('a request without credentials is MissingAuthenticationToken', async () => {
    const res = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(text).toContain('xmlns="https://sts.amazonaws.com/doc/2011-06-15/"');
  });

  it.each([
    ['STS (Query)', 'sts', {}, 'Action=GetCallerIdentity&Version=2011-06-15', '<Code>InvalidParameterCombination</Code>'],
    ['CloudTrail (JSON 1.1)', 'cloudtrail', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListTrails' }, '{}', '"__type":"InvalidParameterCombinationException"'],
  ])('%s: a request signed in its header and its query string too is refused with 400', async (_name, service, headers, body, code) => {
    // Given a request whose header signature is valid (the query is signed with it) but whose query also carries a signature
    const res = await signedFetch({ url: `${server.url}/?X-Amz-Signature=${'ab'.repeat(32)}`, body, headers, service, credentials: TEST_ROOT_KEY });
    // Then it is refused as AWS refuses two auth mechanisms, before anything runs
    expect(res.status).toBe(400);
    expect(res.text).toContain(code);
    expect(res.text).toContain('Only one auth mechanism allowed');
  });

  it('a presigned GetCallerIdentity URL works', async () => {
    const res = await signedFetch({
      url: `${server.url}/?Action=GetCallerIdentity&Version=2011-06-15`,
      service: 'sts',
      credentials: TEST_ROOT_KEY,
      presign: true,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<Arn>arn:aws:iam::${TEST_ACCOUNT_ID}:root</Arn>`);
  });

  it('a presigned URL without X-Amz-Expires (the Go SDK v2 presigns STS so) is valid for 15 minutes from its date', async () => {
    // Given GetCallerIdentity URLs presigned without X-Amz-Expires, now, 14 and 16 minutes ago
    const presigned = (minutesAgo: number) => signedFetch({
      url: `${server.url}/?Action=GetCallerIdentity&Version=2011-06-15`,
      service: 'sts',
      credentials: TEST_ROOT_KEY,
      presignWithoutExpires: true,
      signingDate: new Date(Date.now() - minutesAgo * 60_000),
    });
    const [now, recent, stale] = [await presigned(0), await presigned(14), await presigned(16)];
    // Then the first two answer, as AWS's STS does, and the third has expired
    expect(now.status, now.text).toBe(200);
    expect(now.text).toContain(`<Arn>arn:aws:iam::${TEST_ACCOUNT_ID}:root</Arn>`);
    expect(recent.status, recent.text).toBe(200);
    expect(stale.status).toBe(400);
    expect(stale.text).toContain('<Code>RequestExpired</Code>');
  });

  it('serves /healthz and /metrics', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/castellan_requests_total\{service="sts",operation="GetCallerIdentity",outcome="success"\} \d+/);
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, then stops accepting', async () => {
    // Given a server whose credential lookup waits on a gate, so a request stays in flight
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = await startWireServer();
    const original = slow.credentials.resolve.bind(slow.credentials);
    slow.credentials.resolve = async (id, token) => {
      await gate;
      return original(id, token);
    };
    // When a request is in flight and shutdown starts
    const inFlight = stsClient(slow.url, TEST_ROOT_KEY).send(new GetCallerIdentityCommand({}));
    await new Promise((r) => setTimeout(r, 100));
    const closed = slow.close();
    release();
    // Then the request completes, the close resolves, and new connections are refused
    await expect(inFlight).resolves.toMatchObject({ Account: TEST_ACCOUNT_ID });
    await closed;
    await expect(fetch(`${slow.url}/healthz`)).rejects.toThrow();
  });
});
