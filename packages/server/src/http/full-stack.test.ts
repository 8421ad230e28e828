/**
 * The whole stack in one process: `createCastellan` (real store, services, pipeline, app) driven
 * through `app.fetch` with SigV4-signed requests, no socket. Covers what only the assembled server
 * shows: a user's first call denied, then allowed by the policy it was given, and the decision
 * behind each recorded in the CloudTrail record that LookupEvents returns.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { createCastellan, type Castellan } from '../main.js';
import { signedRequest, type TestCredentials } from '../sigv4/test-sign.js';

const ACCOUNT = '123456789012';
const ROOT: TestCredentials = { accessKeyId: 'AKIAINPROCESSROOT001', secretAccessKey: 'in-process-root-secret-0123456789abcdefg' };
const URL_ = 'http://castellan.test/';
const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

let castellan: Castellan;

beforeAll(async () => {
  const resolved = resolveConfig([{ ephemeral: true, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0 }]);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  castellan = await createCastellan(resolved.config, { logger: pino({ level: 'silent' }) });
});
afterAll(() => castellan?.close());

async function iam(params: Record<string, string>, credentials: TestCredentials = ROOT): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const res = await castellan.app.fetch(await signedRequest({ url: URL_, body, service: 'iam', credentials }));
  return { status: res.status, text: await res.text() };
}

async function cloudTrail(operation: string, input: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const req = await signedRequest({
    url: URL_,
    body: JSON.stringify(input),
    service: 'cloudtrail',
    credentials: ROOT,
    headers: { 'x-amz-target': `${TARGET}.${operation}`, 'content-type': 'application/x-amz-json-1.1', ...headers },
  });
  const res = await castellan.app.fetch(req);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The CloudTrail records of `eventName`, waiting for the batched read-only and refused events to be written. */
async function records(eventName: string, count: number): Promise<Array<Record<string, any>>> {
  for (let i = 0; i < 50; i++) {
    const res = await cloudTrail('LookupEvents', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] });
    const events = (res.json['Events'] as Array<{ CloudTrailEvent: string }>) ?? [];
    if (events.length >= count) return events.map((e) => JSON.parse(e.CloudTrailEvent));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${count} ${eventName} events`);
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

describe('the assembled server, in process', () => {
  let alice: TestCredentials;

  it('creates a user and an access key for it, and answers with its own XML', async () => {
    const created = await iam({ Action: 'CreateUser', UserName: 'alice' });
    expect(created.status).toBe(200);
    expect(tag(created.text, 'Arn')).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    const key = await iam({ Action: 'CreateAccessKey', UserName: 'alice' });
    alice = { accessKeyId: tag(key.text, 'AccessKeyId')!, secretAccessKey: tag(key.text, 'SecretAccessKey')! };
    expect(alice.accessKeyId).toMatch(/^AKIA/);
  });

  it('denies a user without policies with AWS message, then allows what its new policy grants', async () => {
    const denied = await iam({ Action: 'GetUser', UserName: 'alice' }, alice);
    expect(denied.status).toBe(403);
    expect(tag(denied.text, 'Code')).toBe('AccessDenied');
    expect(tag(denied.text, 'Message')).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${ACCOUNT}:user/alice because no identity-based policy allows the iam:GetUser action`,
    );
    const policy = { Version: '2012-10-17', Statement: [{ Sid: 'ReadSelf', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }, { Sid: 'NoListing', Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' }] };
    expect((await iam({ Action: 'PutUserPolicy', UserName: 'alice', PolicyName: 'self', PolicyDocument: JSON.stringify(policy) })).status).toBe(200);
    const allowed = await iam({ Action: 'GetUser', UserName: 'alice' }, alice);
    expect(allowed.status).toBe(200);
    expect(tag(allowed.text, 'UserName')).toBe('alice');
    const listed = await iam({ Action: 'ListUsers' }, alice);
    expect(tag(listed.text, 'Message')).toMatch(/iam:ListUsers on resource: .* with an explicit deny in an identity-based policy$/);
  });

  it('records the decision and the statements behind it in each record (castellan:decision)', async () => {
    const getUser = await records('GetUser', 2);
    const decisions = getUser.map((r) => r['additionalEventData']?.['castellan:decision']);
    expect(decisions).toContainEqual({ effect: 'implicitDeny', action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/alice`, decidedBy: [], deniedBy: 'identity' });
    expect(decisions).toContainEqual({
      effect: 'allow',
      action: 'iam:GetUser',
      resource: `arn:aws:iam::${ACCOUNT}:user/alice`,
      decidedBy: [expect.objectContaining({ policyName: 'self', policyKind: 'identity', statementIndex: 0, sid: 'ReadSelf' })],
    });
    const listUsers = (await records('ListUsers', 1))[0]!;
    expect(listUsers).toMatchObject({
      errorCode: 'AccessDenied',
      additionalEventData: { 'castellan:decision': { effect: 'explicitDeny', action: 'iam:ListUsers', deniedBy: 'identity', decidedBy: [expect.objectContaining({ statementIndex: 1, sid: 'NoListing' })] } },
    });
    // The record names statements, never the policy text.
    expect(JSON.stringify(listUsers['additionalEventData'])).not.toContain('Statement');
  });

  it('refuses a CloudTrail call whose X-Amz-Target is not signed, as AWS does', async () => {
    const body = JSON.stringify({});
    const signed = await signedRequest({ url: URL_, body, service: 'cloudtrail', credentials: ROOT, headers: { 'content-type': 'application/x-amz-json-1.1' } });
    const headers = new Headers(signed.headers);
    headers.set('x-amz-target', `${TARGET}.LookupEvents`);
    const res = await castellan.app.fetch(new Request(signed.url, { method: 'POST', headers, body }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ __type: 'InvalidSignatureException', message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization." });
  });
});

describe('operator endpoints, in process', () => {
  it('serves /metrics only on the metrics app, not on the API', async () => {
    expect((await castellan.app.fetch(new Request(`${URL_}metrics`))).status).toBe(404);
    const res = await castellan.metricsApp.fetch(new Request(`${URL_}metrics`));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('castellan_requests_total{service="iam",operation="CreateUser",outcome="success"} 1');
    // How far back a crash now would lose batched audit records
    expect(text).toMatch(/^castellan_audit_unwritten_oldest_seconds \d/m);
  });

  it('refuses a reset without the custom header or on a foreign host, and keeps the state', async () => {
    const reset = (url: string, headers: Record<string, string>) => castellan.app.fetch(new Request(url, { method: 'POST', headers, body: 'x' }));
    const cases: Array<{ name: string; url: string; headers: Record<string, string> }> = [
      { name: 'a cross-origin text/plain POST', url: 'http://127.0.0.1:8910/_castellan/reset', headers: { 'content-type': 'text/plain' } },
      { name: 'the header with a foreign Host', url: 'http://attacker.example:8910/_castellan/reset', headers: { 'x-castellan-reset': '1' } },
      { name: 'a header value other than 1', url: 'http://localhost:8910/_castellan/reset', headers: { 'x-castellan-reset': 'yes' } },
    ];
    for (const c of cases) expect((await reset(c.url, c.headers)).status, c.name).toBe(403);
    expect(tag((await iam({ Action: 'GetUser', UserName: 'alice' })).text, 'UserName')).toBe('alice');
    const accepted = await reset('http://[::1]:8910/_castellan/reset', { 'x-castellan-reset': '1' });
    expect(await accepted.json()).toEqual({ reset: true, accountId: ACCOUNT });
    expect(tag((await iam({ Action: 'GetUser', UserName: 'alice' })).text, 'Code')).toBe('NoSuchEntity');
  });
});

describe('rate limit per access key, in process', () => {
  it("throttles a key past its burst with AWS's Throttling, and leaves other keys alone", async () => {
    const resolved = resolveConfig([{ ephemeral: true, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0, rateLimitPerKey: 1 }]);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    const limited = await createCastellan(resolved.config, { logger: pino({ level: 'silent' }) });
    try {
      const send = async (credentials: TestCredentials) => {
        const body = new URLSearchParams({ Action: 'ListUsers', Version: '2010-05-08' }).toString();
        const res = await limited.app.fetch(await signedRequest({ url: URL_, body, service: 'iam', credentials }));
        return { status: res.status, text: await res.text() };
      };
      // A burst of twice the rate: two calls pass, the third is throttled.
      expect((await send(ROOT)).status).toBe(200);
      expect((await send(ROOT)).status).toBe(200);
      const throttled = await send(ROOT);
      expect(throttled.status).toBe(400);
      expect(tag(throttled.text, 'Code')).toBe('Throttling');
      expect(tag(throttled.text, 'Message')).toBe('Rate exceeded');
      // An unknown key is refused for what it is, not counted against anyone.
      expect(tag((await send({ accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' })).text, 'Code')).toBe('InvalidClientTokenId');
    } finally {
      await limited.close();
    }
  });
});

describe('platform principals, in process', () => {
  const start = (platformPrincipals: string[]) => {
    const resolved = resolveConfig([{ ephemeral: true, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0, platformPrincipals }]);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    return createCastellan(resolved.config, { logger: pino({ level: 'silent' }) });
  };

  it('refuses to start with a listed principal of another account than the management account, naming it', async () => {
    // A typo in the account id would otherwise leave the intended service silently untrusted.
    await expect(start([`arn:aws:iam::${ACCOUNT}:role/platform/s3`, 'arn:aws:iam::210987654321:role/s3'])).rejects.toThrow(
      /platformPrincipals: `arn:aws:iam::210987654321:role\/s3` is not a principal of the management account 123456789012/,
    );
  });

  it('starts with the management account’s users and roles listed, which need not exist yet', async () => {
    const started = await start([`arn:aws:iam::${ACCOUNT}:role/platform/s3`, `arn:aws:iam::${ACCOUNT}:user/s3-service`]);
    await started.close();
  });
});
