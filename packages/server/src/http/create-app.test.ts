import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DeterministicIds } from '../domain/ids.js';
import { iamOperation } from '../protocol/define-operation.js';
import { OperationRegistry } from '../pipeline/operation-registry.js';
import { HIDDEN } from '../audit/redact.js';
import { toNewAuditEvent } from '../audit/store-audit-log.js';
import { InMemoryAuditLog } from '../pipeline/test-audit-log.js';
import { MAX_AUDITED_ERROR_MESSAGE } from '../pipeline/request-pipeline.js';
import { CountingTransactionRunner, InMemoryCredentialResolver, ListAuthorizer, rootPrincipal, userPrincipal } from '../pipeline/test-support.js';
import { getCallerIdentity } from '../protocol/query/operations/sts/get-caller-identity.js';
import { RateLimiter } from '../domain/rate-limiter.js';
import { SigV4Authenticator } from '../services/credentials/sigv4-authenticator.js';
import { signedRequest, type TestCredentials } from '../sigv4/test-sign.js';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createApp, type AppDeps } from './create-app.js';
import { nodeApiCall } from './node-api.js';
import { startHttpServer } from './node-listener.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';
import { StoreUnavailableError } from '../store/store-errors.js';

const NOW = new Date('2026-03-04T05:06:07Z');
const ROOT: TestCredentials = { accessKeyId: 'AKIACASTELLANTEST001', secretAccessKey: 'root-secret-key-for-tests' };
const BOB: TestCredentials = { accessKeyId: 'AKIACASTELLANUSER001', secretAccessKey: 'bob-secret-key-for-tests' };
const TEMP: TestCredentials = { accessKeyId: 'ASIACASTELLANTEMP001', secretAccessKey: 'temp-secret', sessionToken: 'session/token+=' };
const URL_ = 'http://castellan.test/';

function setup(overrides: Partial<AppDeps<{ tx: string }>> = {}) {
  const audit = new InMemoryAuditLog();
  const credentials = new InMemoryCredentialResolver()
    .add(ROOT.accessKeyId, ROOT.secretAccessKey, rootPrincipal())
    .add(BOB.accessKeyId, BOB.secretAccessKey, userPrincipal('bob'))
    .add(TEMP.accessKeyId, TEMP.secretAccessKey, { ...userPrincipal('bob'), accessKeyId: TEMP.accessKeyId }, TEMP.sessionToken)
    .addState('AKIACASTELLANINACTIV', 'inactive', '123456789012')
    .addState('ASIACASTELLANEXPIRED', 'expired', '123456789012');
  const authorizer = new ListAuthorizer(['iam:ListUsers']);
  const transactions = new CountingTransactionRunner({ tx: 'in-transaction' });
  const seen: unknown[] = [];
  const operations = new OperationRegistry<{ tx: string }>().register(
    getCallerIdentity,
    iamOperation('ListUsers', {
      readOnly: true,
      resource: (_i, ctx) => `arn:aws:iam::${ctx.caller.accountId}:user/*`,
      execute: (input) => {
        seen.push(input);
        return { Users: [], IsTruncated: false };
      },
    }),
    iamOperation('CreateGroup', {
      readOnly: false,
      resource: (i, ctx) => `arn:aws:iam::${ctx.caller.accountId}:group${i.Path ?? '/'}${i.GroupName}`,
      execute: (i, _ctx, deps: { tx: string }) => {
        seen.push(deps.tx);
        return { Group: { Path: '/', GroupName: i.GroupName, GroupId: 'AGPAEXAMPLE', Arn: 'arn:aws:iam::123456789012:group/g', CreateDate: NOW } };
      },
    }),
    iamOperation('DeleteGroup', {
      readOnly: false,
      resource: () => '*',
      execute: () => {
        throw new Error('database exploded: secret detail');
      },
    }),
    iamOperation('DeleteUser', {
      readOnly: false,
      resource: () => '*',
      execute: () => {
        throw new StoreUnavailableError('the SQLite database stayed locked: secret detail');
      },
    }),
  );
  const app = createApp<{ tx: string }>({
    authenticators: [new SigV4Authenticator(credentials)],
    authorizer,
    transactions,
    audit,
    operations,
    operationDeps: { tx: 'none' },
    clock: { now: () => NOW },
    ids: new DeterministicIds(),
    defaultAccountId: '123456789012',
    logger: pino({ level: 'silent' }),
    metricsRoute: true,
    ...overrides,
  });
  return { app, audit, authorizer, transactions, seen, credentials };
}

const query = (action: string, extra = '', version = '2010-05-08') => `Action=${action}&Version=${version}${extra}`;
const peer = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

async function call(t: ReturnType<typeof setup>, opts: { body: string; service?: string; creds?: TestCredentials; date?: Date; headers?: Record<string, string>; ip?: string; region?: string }) {
  const req = await signedRequest({
    url: URL_,
    body: opts.body,
    service: opts.service ?? 'iam',
    region: opts.region ?? 'us-east-1',
    credentials: opts.creds ?? ROOT,
    signingDate: opts.date ?? NOW,
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  const res = await t.app.request(req, undefined, peer(opts.ip ?? '198.51.100.7'));
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const code = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];

describe('Query API through the app', () => {
  it('answers STS GetCallerIdentity for the caller, routed by the signing scope', async () => {
    const t = setup();
    const res = await call(t, { body: query('GetCallerIdentity', '', '2011-06-15'), service: 'sts', creds: BOB, region: 'eu-west-1' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>');
    expect(res.text).toContain('<UserId>AIDACASTELLANUSER0001</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/bob</Arn>');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.authorizer.requests).toHaveLength(0);
    expect(t.audit.events).toMatchObject([{ service: 'sts', eventName: 'GetCallerIdentity', region: 'eu-west-1', sourceIp: '198.51.100.7', readOnly: true, caller: { arn: 'arn:aws:iam::123456789012:user/bob' } }]);
    expect(t.credentials.uses).toEqual([{ accessKeyId: BOB.accessKeyId, service: 'sts', region: 'eu-west-1' }]);
  });

  it('accepts temporary credentials with their session token', async () => {
    const t = setup();
    const res = await call(t, { body: query('GetCallerIdentity', '', '2011-06-15'), service: 'sts', creds: TEMP });
    expect(res.status).toBe(200);
  });

  const failures: Array<{ name: string; body: string; creds?: TestCredentials; date?: Date; service?: string; status: number; code: string; message?: RegExp }> = [
    { name: 'unknown key', body: query('ListUsers'), creds: { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' }, status: 403, code: 'InvalidClientTokenId', message: /security token included in the request is invalid/ },
    { name: 'inactive key', body: query('ListUsers'), creds: { accessKeyId: 'AKIACASTELLANINACTIV', secretAccessKey: 'x' }, status: 403, code: 'InvalidClientTokenId' },
    { name: 'expired session', body: query('ListUsers'), creds: { accessKeyId: 'ASIACASTELLANEXPIRED', secretAccessKey: 'x', sessionToken: 't' }, status: 403, code: 'ExpiredToken' },
    { name: 'session token missing', body: query('ListUsers'), creds: { accessKeyId: TEMP.accessKeyId, secretAccessKey: TEMP.secretAccessKey }, status: 403, code: 'InvalidClientTokenId' },
    { name: 'wrong secret', body: query('ListUsers'), creds: { ...BOB, secretAccessKey: 'wrong' }, status: 403, code: 'SignatureDoesNotMatch' },
    { name: 'stale X-Amz-Date', body: query('ListUsers'), date: new Date(NOW.getTime() - 20 * 60_000), status: 403, code: 'SignatureDoesNotMatch', message: /Signature expired/ },
    { name: 'scope for another service', body: query('ListUsers'), service: 's3', status: 403, code: 'SignatureDoesNotMatch', message: /scoped to correct service/ },
    { name: 'unknown action', body: query('Frobnicate'), status: 400, code: 'InvalidAction', message: /Could not find operation Frobnicate for version 2010-05-08/ },
    { name: 'invalid input', body: query('ListUsers', '&MaxItems=0'), status: 400, code: 'ValidationError', message: /at 'maxItems'/ },
    { name: 'unimplemented operation', body: query('CreateSAMLProvider', '&SAMLMetadataDocument=' + 'x'.repeat(1000) + '&Name=p'), status: 501, code: 'NotImplemented', message: /does not implement the IAM operation CreateSAMLProvider/ },
    { name: 'access denied', body: query('CreateGroup', '&GroupName=g'), creds: BOB, status: 403, code: 'AccessDenied', message: /User: arn:aws:iam::123456789012:user\/bob is not authorized to perform: iam:CreateGroup on resource: arn:aws:iam::123456789012:group\/g because no identity-based policy allows the iam:CreateGroup action/ },
  ];
  for (const f of failures) {
    it(`refuses: ${f.name}`, async () => {
      // Given a fresh app
      const t = setup();
      // When the request is sent
      const res = await call(t, { body: f.body, ...(f.creds ? { creds: f.creds } : {}), ...(f.date ? { date: f.date } : {}), ...(f.service ? { service: f.service } : {}) });
      // Then it gets AWS's code and status, and one audit event records the failure
      expect(res.status).toBe(f.status);
      expect(code(res.text)).toBe(f.code);
      if (f.message) expect(res.text).toMatch(f.message);
      expect(t.audit.events).toHaveLength(1);
      expect(t.audit.events[0]!.error?.code).toBe(f.code);
    });
  }

  describe('a call refused by input validation is audited with the parameters it sent', () => {
    const password = 'Pw-' + 'q'.repeat(126); // 129 characters: one over the model's maximum
    const cases: Array<{ name: string; body: string; request: Record<string, unknown> | undefined }> = [
      { name: 'over-long password', body: query('CreateLoginProfile', `&UserName=alice&Password=${password}`), request: { UserName: 'alice', Password: password } },
      { name: 'over-long user name', body: query('CreateUser', `&UserName=${'u'.repeat(65)}&Tags.member.1.Key=team&Tags.member.1.Value=red`), request: { UserName: 'u'.repeat(65), Tags: [{ Key: 'team', Value: 'red' }] } },
      { name: 'a value that does not convert is left out', body: query('ListUsers', '&PathPrefix=/a/&MaxItems=ten'), request: { PathPrefix: '/a/' } },
      { name: 'an empty input', body: query('CreateUser'), request: {} },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        // Given an input that fails validation
        const t = setup();
        const res = await call(t, { body: c.body });
        // Then the client gets the validation error, nothing runs, and the event keeps the decoded input
        expect(res.status).toBe(400);
        expect(code(res.text)).toBe('ValidationError');
        expect(t.seen).toEqual([]);
        expect(t.audit.events).toHaveLength(1);
        expect(t.audit.events[0]!.request).toEqual(c.request);
        expect(t.audit.events[0]!.eventName).toBe(/Action=(\w+)/.exec(c.body)![1]);
      });
    }

    it('stores a refused CreateLoginProfile with the user name and the password hidden', async () => {
      // Given CreateLoginProfile refused for its 129-character password
      const t = setup();
      await call(t, { body: query('CreateLoginProfile', `&UserName=alice&Password=${password}`) });
      // When its event becomes the stored row
      const row = toNewAuditEvent(t.audit.events[0]!);
      // Then the record names the user, hides the password, and the password is nowhere in the row
      const record = JSON.parse(row.recordJson);
      expect(record).toMatchObject({ eventName: 'CreateLoginProfile', errorCode: 'ValidationError', requestParameters: { userName: 'alice', password: HIDDEN } });
      expect(JSON.stringify(row)).not.toContain(password);
      expect(JSON.stringify(row)).not.toContain('q'.repeat(20));
    });

    it('records no parameters when the input cannot be decoded at all (JSON of the wrong type)', async () => {
      const t = setup();
      const headers = { 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', 'content-type': 'application/x-amz-json-1.1' };
      const res = await call(t, { body: '{"MaxResults":"ten"}', service: 'cloudtrail', headers });
      expect(JSON.parse(res.text).__type).toBe('SerializationException');
      expect(t.audit.events).toHaveLength(1);
      expect(t.audit.events[0]!.request).toBeUndefined();
    });

    it('records the decoded JSON input of a call refused by validation', async () => {
      const t = setup();
      const headers = { 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', 'content-type': 'application/x-amz-json-1.1' };
      const res = await call(t, { body: '{"MaxResults":0,"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"CreateUser"}]}', service: 'cloudtrail', headers });
      expect(JSON.parse(res.text).__type).toBe('ValidationException');
      expect(t.audit.events[0]).toMatchObject({ eventName: 'LookupEvents', request: { MaxResults: 0, LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] } });
    });
  });

  it('keeps at most 1,024 characters of an error message in the audit event, however much the client echoes', async () => {
    // Given a validation error that quotes a 5,000-character value
    const t = setup();
    const res = await call(t, { body: query('ListUsers', '&PathPrefix=' + 'a'.repeat(5000)) });
    expect(code(res.text)).toBe('ValidationError');
    // Then the audit event keeps a bounded message
    const message = t.audit.events[0]!.error!.message;
    expect(message.length).toBeLessThanOrEqual(MAX_AUDITED_ERROR_MESSAGE + 20);
    expect(message).toMatch(/… \(truncated\)$/);
  });

  it('leaves out a refused input larger than 64 KiB, keeping the error', async () => {
    const t = setup();
    const tags = Array.from({ length: 3000 }, (_, i) => `&Tags.member.${i + 1}.Key=k${i}&Tags.member.${i + 1}.Value=${'v'.repeat(30)}`).join('');
    const res = await call(t, { body: query('TagUser', `&UserName=bob${tags}`) });
    expect(code(res.text)).toBe('ValidationError');
    expect(t.audit.events[0]!.error?.code).toBe('ValidationError');
    expect(t.audit.events[0]!.request).toBeUndefined();
  });

  it('records an unsigned request in the configured default region', async () => {
    const t = setup({ defaultRegion: 'eu-central-1' });
    await t.app.request(URL_, { method: 'POST', body: query('ListUsers'), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, peer('203.0.113.5'));
    expect(t.audit.events).toMatchObject([{ region: 'eu-central-1', error: { code: 'MissingAuthenticationToken' } }]);
  });

  it('answers MissingAuthenticationToken to an unsigned request, and audits it', async () => {
    const t = setup();
    const res = await t.app.request(URL_, { method: 'POST', body: query('ListUsers'), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, peer('203.0.113.5'));
    expect(res.status).toBe(403);
    expect(code(await res.text())).toBe('MissingAuthenticationToken');
    expect(t.audit.events).toMatchObject([{ eventName: 'ListUsers', sourceIp: '203.0.113.5', error: { code: 'MissingAuthenticationToken' } }]);
    expect(t.audit.events[0]!.caller).toBeUndefined();
  });

  it('accepts a presigned GET URL', async () => {
    const t = setup();
    const req = await signedRequest({ url: `${URL_}?Action=ListUsers&Version=2010-05-08`, service: 'iam', credentials: ROOT, signingDate: NOW, presign: true });
    const res = await t.app.request(req);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<ListUsersResult><Users></Users><IsTruncated>false</IsTruncated></ListUsersResult>');
  });

  it('authorizes with the action, resource and global condition keys', async () => {
    const t = setup();
    await call(t, { body: query('ListUsers', '&PathPrefix=%2Fteam%2F'), creds: BOB, headers: { 'user-agent': 'aws-cli/2' } });
    expect(t.seen).toEqual([{ PathPrefix: '/team/' }]);
    expect(t.authorizer.requests).toEqual([
      {
        action: 'iam:ListUsers',
        resource: 'arn:aws:iam::123456789012:user/*',
        context: expect.objectContaining({
          'aws:SourceIp': '198.51.100.7',
          'aws:CurrentTime': '2026-03-04T05:06:07Z',
          'aws:EpochTime': String(NOW.getTime() / 1000),
          'aws:SecureTransport': 'false',
          'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/bob',
          'aws:PrincipalAccount': '123456789012',
          'aws:username': 'bob',
          'aws:userid': 'AIDACASTELLANUSER0001',
          'aws:PrincipalType': 'User',
          'aws:RequestedRegion': 'us-east-1',
          'aws:ViaAWSService': 'false',
        }),
      },
    ]);
  });

  it('runs a mutation in a transaction and writes its audit event inside it', async () => {
    const t = setup();
    const res = await call(t, { body: query('CreateGroup', '&GroupName=g') });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<GroupName>g</GroupName>');
    expect(t.seen).toEqual(['in-transaction']);
    expect(t.transactions.count).toBe(1);
    expect(t.audit.events).toMatchObject([{ eventName: 'CreateGroup', inTransaction: true, readOnly: false, request: { GroupName: 'g' } }]);
  });

  it('turns an unexpected error into ServiceFailure without its message', async () => {
    const t = setup();
    const res = await call(t, { body: query('DeleteGroup', '&GroupName=g') });
    expect(res.status).toBe(500);
    expect(code(res.text)).toBe('ServiceFailure');
    expect(res.text).toContain('<Type>Receiver</Type>');
    expect(res.text).not.toContain('secret detail');
    expect(t.audit.events[0]!.error?.message).not.toContain('secret detail');
  });

  it('turns a store that is unavailable into ServiceUnavailable (503, retried by clients) without its message, recorded so', async () => {
    const t = setup();
    const res = await call(t, { body: query('DeleteUser', '&UserName=u') });
    expect(res.status).toBe(503);
    expect(code(res.text)).toBe('ServiceUnavailable');
    expect(res.text).toContain('<Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>The request has failed due to a temporary failure of the server.</Message>');
    expect(res.text).not.toContain('secret detail');
    expect(t.audit.events).toMatchObject([{ eventName: 'DeleteUser', error: { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' } }]);
  });

  it('takes aws:SourceIp from X-Forwarded-For only behind a trusted proxy', async () => {
    const direct = setup();
    await call(direct, { body: query('GetCallerIdentity', '', '2011-06-15'), service: 'sts', headers: { 'x-forwarded-for': '192.0.2.1' }, ip: '10.0.0.2' });
    expect(direct.audit.events[0]!.sourceIp).toBe('10.0.0.2');
    const proxied = setup({ trustedProxies: ['10.0.0.0/8'] });
    await call(proxied, { body: query('GetCallerIdentity', '', '2011-06-15'), service: 'sts', headers: { 'x-forwarded-for': '192.0.2.1, 10.0.0.9' }, ip: '10.0.0.2' });
    expect(proxied.audit.events[0]!.sourceIp).toBe('192.0.2.1');
  });

  it('takes aws:SecureTransport from the trusted proxy\'s X-Forwarded-Proto value, not the client\'s', async () => {
    const t = setup({ trustedProxies: ['10.0.0.0/8'] });
    for (const proto of ['https, http', 'http, https']) {
      await call(t, { body: query('ListUsers'), creds: BOB, headers: { 'x-forwarded-for': '192.0.2.1', 'x-forwarded-proto': proto }, ip: '10.0.0.2' });
    }
    expect(t.authorizer.requests.map((r) => [r.context['aws:SourceIp'], r.context['aws:SecureTransport']])).toEqual([
      ['192.0.2.1', 'false'],
      ['192.0.2.1', 'true'],
    ]);
  });

  it('refuses a body over the limit with 413, and still audits it (no identity, no parameters)', async () => {
    const t = setup({ maxBodyBytes: 100 });
    const res = await call(t, { body: query('ListUsers', `&Marker=${'x'.repeat(200)}`), ip: '203.0.113.9' });
    expect(res.status).toBe(413);
    expect(code(res.text)).toBe('RequestEntityTooLarge');
    expect(t.audit.events).toHaveLength(1);
    expect(t.audit.events[0]).toMatchObject({ sourceIp: '203.0.113.9', error: { code: 'RequestEntityTooLarge' } });
    expect(t.audit.events[0]!.caller).toBeUndefined();
    expect(t.audit.events[0]!.request).toBeUndefined();
    expect(res.text).toContain(t.audit.events[0]!.requestId);
  });
});

describe('rate limit per source address', () => {
  it("answers AWS's Throttling (400, Rate exceeded) past the address's burst, before reading the body, and audits it", async () => {
    const t = setup({ addressLimiter: new RateLimiter({ perSecond: 1, burst: 1 }) });
    expect((await call(t, { body: query('GetCallerIdentity', '', '2011-06-15'), service: 'sts', ip: '203.0.113.50' })).status).toBe(200);
    const res = await call(t, { body: query('GetCallerIdentity', '', '2011-06-15'), service: 'sts', ip: '203.0.113.50' });
    expect(res.status).toBe(400);
    expect(code(res.text)).toBe('Throttling');
    expect(res.text).toContain('<Message>Rate exceeded</Message>');
    expect(t.audit.events[1]).toMatchObject({ sourceIp: '203.0.113.50', error: { code: 'Throttling' } });
    expect((await call(t, { body: query('GetCallerIdentity', '', '2011-06-15'), service: 'sts', ip: '203.0.113.51' })).status, 'another address').toBe(200);
  });

  it('words it ThrottlingException for AWS JSON clients', async () => {
    const t = setup({ addressLimiter: new RateLimiter({ perSecond: 1, burst: 1 }) });
    const headers = { 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', 'content-type': 'application/x-amz-json-1.1' };
    await call(t, { body: '{}', service: 'cloudtrail', headers });
    const res = await call(t, { body: '{}', service: 'cloudtrail', headers });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' });
    expect(t.audit.events[1]!.error?.code).toBe('ThrottlingException');
  });
});

describe('JSON 1.1 (CloudTrail) through the app', () => {
  const target = (op: string) => ({ 'x-amz-target': `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${op}`, 'content-type': 'application/x-amz-json-1.1' });
  it.each([
    ['LookupEvents', '{}', 501, 'NotImplemented'],
    ['NoSuchOp', '{}', 400, 'UnknownOperationException'],
    ['LookupEvents', '{"MaxResults":"ten"}', 400, 'SerializationException'],
    ['LookupEvents', '{"MaxResults":0}', 400, 'ValidationException'],
  ])('%s %s -> %i %s', async (op, body, status, errCode) => {
    const t = setup();
    const res = await call(t, { body, service: 'cloudtrail', headers: target(op) });
    expect(res.status).toBe(status);
    expect(JSON.parse(res.text).__type).toBe(errCode);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  });
});

describe('health and metrics', () => {
  it('serves /healthz and counts requests by operation and outcome', async () => {
    const t = setup();
    expect((await t.app.request('/healthz')).status).toBe(200);
    await call(t, { body: query('GetCallerIdentity', '', '2011-06-15'), service: 'sts' });
    await call(t, { body: query('Frobnicate') });
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toContain('castellan_requests_total{service="sts",operation="GetCallerIdentity",outcome="success"} 1');
    expect(metrics).toContain('castellan_requests_total{service="iam",operation="unknown",outcome="InvalidAction"} 1');
    expect(metrics).toContain('castellan_request_duration_seconds_bucket');
  });
  it.each<[string, AppDeps<{ tx: string }>['health'], number, unknown]>([
    ['no check', undefined, 200, { status: 'ok' }],
    ['degraded', async () => ({ status: 'degraded', reason: 'audit-writes-failing', failingForSeconds: 42, storeErrorCode: 'SQLITE_FULL' }), 503, { status: 'degraded', reason: 'audit-writes-failing', failingForSeconds: 42, storeErrorCode: 'SQLITE_FULL' }],
    ['unavailable', async () => ({ status: 'unavailable', reason: 'store-unreachable' }), 503, { status: 'unavailable', reason: 'store-unreachable' }],
    ['a check that throws', async () => { throw new Error('connect ECONNREFUSED'); }, 503, { status: 'unavailable', reason: 'store-unreachable' }],
  ])('answers /healthz with the report: %s', async (_name, health, status, body) => {
    const t = setup(health ? { health } : {});
    const res = await t.app.request('/healthz');
    expect([res.status, await res.json()]).toEqual([status, body]);
  });
});

function pairsOf(headers: Headers): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  headers.forEach((value, name) => pairs.push([name, value]));
  return pairs;
}

/** Sends `req` over TCP to `url` with node:http (which, unlike fetch, lets a test set `Host` and repeat headers). */
function overTcp(url: string, req: Request, body: string, extraHeaders: Array<[string, string]> = []): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const target = new URL(req.url);
  const headers: Array<[string, string]> = [['host', target.host], ...pairsOf(req.headers), ...extraHeaders];
  return new Promise((resolve, reject) => {
    const out = httpRequest(`${url}${target.pathname}${target.search}`, { method: req.method, headers: headers.flat() }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    out.on('error', reject);
    out.end(body);
  });
}

describe("the Node listener's fast path", () => {
  const sts = (extra = '') => query('GetCallerIdentity', extra, '2011-06-15');
  const cloudtrail = { 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', 'content-type': 'application/x-amz-json-1.1' };
  const failingMetrics = {
    observe: () => {
      throw new Error('metrics exploded');
    },
  } as unknown as RequestMetrics;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const cases: Array<{ name: string; overrides?: () => Partial<AppDeps<{ tx: string }>>; make: () => Promise<{ req: Request; body: string }>; extra?: Array<[string, string]>; repeat?: number }> = [
    { name: 'a signed STS call', make: async () => ({ req: await signedRequest({ url: URL_, body: sts(), service: 'sts', credentials: ROOT, signingDate: NOW }), body: sts() }) },
    { name: 'a presigned GET', make: async () => ({ req: await signedRequest({ url: `${URL_}?Action=ListUsers&Version=2010-05-08`, service: 'iam', credentials: ROOT, signingDate: NOW, presign: true }), body: '' }) },
    { name: 'an unsigned call', make: async () => ({ req: new Request(URL_, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'ua/1' } }), body: query('ListUsers') }) },
    { name: 'a failing operation', make: async () => ({ req: await signedRequest({ url: URL_, body: query('DeleteGroup', '&GroupName=g'), service: 'iam', credentials: ROOT, signingDate: NOW }), body: query('DeleteGroup', '&GroupName=g') }) },
    { name: 'a body over the limit (node:http sends it chunked: no declared length)', overrides: () => ({ maxBodyBytes: 100 }), make: async () => ({ req: new Request(URL_, { method: 'POST', headers: form }), body: query('ListUsers', `&Marker=${'x'.repeat(200)}`) }) },
    { name: 'a throttled address', overrides: () => ({ addressLimiter: new RateLimiter({ perSecond: 0.001, burst: 0 }) }), make: async () => ({ req: new Request(URL_, { method: 'POST', headers: cloudtrail }), body: '{}' }) },
    { name: 'a JSON call', make: async () => ({ req: await signedRequest({ url: URL_, body: '{}', service: 'cloudtrail', credentials: ROOT, signingDate: NOW, headers: cloudtrail }), body: '{}' }) },
    { name: 'an unhandled error', overrides: () => ({ metrics: failingMetrics }), make: async () => ({ req: await signedRequest({ url: URL_, body: sts(), service: 'sts', credentials: ROOT, signingDate: NOW }), body: sts() }) },
    { name: 'a repeated Authorization header (served by Hono, which joins it)', make: async () => ({ req: await signedRequest({ url: URL_, body: sts(), service: 'sts', credentials: ROOT, signingDate: NOW }), body: sts() }), extra: [['authorization', 'AWS4-HMAC-SHA256 Credential=x']] },
    { name: 'a forwarded address from an untrusted peer', make: async () => ({ req: new Request(URL_, { method: 'POST', headers: { ...form, 'x-forwarded-for': '192.0.2.1', 'x-castellan-console': '1.2.3' } }), body: sts() }) },
  ];

  it.each(cases)('answers $name exactly as the fetch path does, with the same audit event', async (c) => {
    const viaFetch = setup(c.overrides?.());
    const viaNode = setup(c.overrides?.());
    const server = await startHttpServer(viaNode.app, { host: '127.0.0.1', port: 0 });
    try {
      const { req, body } = await c.make();
      const fetched = await viaFetch.app.request(new Request(req, { body: body || null, headers: new Headers([...pairsOf(req.headers), ...(c.extra ?? [])]) }), undefined, peer('127.0.0.1'));
      const fetchedText = await fetched.text();
      const sent = await overTcp(server.url, req, body, c.extra);
      expect(sent.status).toBe(fetched.status);
      expect(sent.text).toBe(fetchedText);
      for (const [name, value] of pairsOf(fetched.headers)) expect(sent.headers[name], name).toBe(value);
      expect(sent.headers['content-length']).toBe(String(Buffer.byteLength(sent.text)));
      expect(viaNode.audit.events).toEqual(viaFetch.audit.events);
      expect(viaNode.audit.events.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('takes only what it reads exactly as the fetch path would', () => {
    const req = (method: string, url: string, headers: Record<string, string> = { host: 'castellan.test' }, rawHeaders = Object.entries(headers).flat()) =>
      ({ method, url, headers: Object.assign(Object.create(null), headers), rawHeaders, socket: { remoteAddress: '192.0.2.9' } }) as unknown as IncomingMessage;
    const call = nodeApiCall(req('GET', '/?Action=ListUsers&Version=2010-05-08', { host: 'castellan.test', 'x-amz-date': '20260304T050607Z' }));
    expect(call).toMatchObject({ method: 'GET', path: '/', query: 'Action=ListUsers&Version=2010-05-08', host: 'castellan.test', remoteAddress: '192.0.2.9', encrypted: false });
    expect(call?.header('x-amz-date')).toBe('20260304T050607Z');
    expect(call?.header('X-Amz-Date')).toBe('20260304T050607Z');
    expect(call?.header('constructor')).toBeUndefined();
    // Node's own headers object has a prototype: inherited names must not be found either.
    const withPrototype = nodeApiCall({ ...req('POST', '/'), headers: { host: 'castellan.test' } } as unknown as IncomingMessage);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(withPrototype?.header(name), name).toBeUndefined();
    expect(withPrototype?.header('Host')).toBe('castellan.test');
    expect(nodeApiCall(req('POST', '/'))).toBeDefined();
    expect(nodeApiCall(req('HEAD', '/')), 'HEAD').toBeUndefined();
    expect(nodeApiCall(req('POST', '/healthz')), 'another route').toBeUndefined();
    expect(nodeApiCall(req('POST', '//')), 'another path').toBeUndefined();
    expect(nodeApiCall(req('GET', "/?Marker=a'b")), 'a query URL rewrites').toBeUndefined();
    expect(nodeApiCall(req('GET', '/?a=1#b')), 'a fragment').toBeUndefined();
    expect(nodeApiCall(req('POST', '/', {})), 'no Host').toBeUndefined();
    expect(nodeApiCall(req('POST', '/', { host: '1.2' })), 'a Host URL rewrites').toBeUndefined();
    expect(nodeApiCall(req('POST', '/', { host: 'castellan.test' }, ['Host', 'castellan.test', 'Host', 'other.test'])), 'a repeated header').toBeUndefined();
  });
});
