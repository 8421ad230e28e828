/**
 * Console sign-in as the account root, in process: the operator sets the root password through the
 * store (as `castellan root set-password` does), root signs in with the user name `root`, its
 * session is the account root (`Root` principal, ConsoleLogin with a Root identity), a wrong
 * password gets the same generic answer as users, and a root MFA device makes the code required.
 */
import { authenticator } from 'otplib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { createCastellan, type Castellan } from '../main.js';
import { StoreAuditLog } from '../audit/store-audit-log.js';
import { CryptoIds } from '../domain/ids.js';
import { setRootPassword as setRootPasswordRecorded } from '../services/accounts/root-password.js';
import { SIGN_IN_FAILED } from '../services/console/sign-in.js';
import { signedRequest, type TestCredentials } from '../sigv4/test-sign.js';

const ACCOUNT = '123456789012';
const ROOT: TestCredentials = { accessKeyId: 'AKIACONSOLEROOTSIGN1', secretAccessKey: 'console-root-sign-in-secret-0123456789ab' };
const BASE = 'http://castellan.test';
const PASSWORD = 'R00t-Console-Passw0rd!';
const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

let castellan: Castellan;

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const cookiePair = (setCookie: string | null) => (setCookie ?? '').split(';')[0]!;

async function iam(params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const res = await castellan.app.fetch(await signedRequest({ url: `${BASE}/`, body, service: 'iam', credentials: ROOT }));
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${params['Action']}: ${res.status} ${text}`);
  return text;
}

async function signIn(fields: Record<string, string>): Promise<{ status: number; json: Record<string, unknown>; cookie: string | null }> {
  const res = await castellan.app.fetch(new Request(`${BASE}/signin`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields),
  }));
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, cookie: res.headers.get('set-cookie') };
}

async function consoleCall(cookie: string, csrf: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await castellan.app.fetch(new Request(`${BASE}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-castellan-csrf': csrf },
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
  }));
  return { status: res.status, text: await res.text() };
}

async function consoleLogins(count: number): Promise<Array<Record<string, any>>> {
  for (let i = 0; i < 50; i++) {
    const req = await signedRequest({
      url: `${BASE}/`, body: JSON.stringify({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }] }), service: 'cloudtrail', credentials: ROOT,
      headers: { 'x-amz-target': `${TARGET}.LookupEvents`, 'content-type': 'application/x-amz-json-1.1' },
    });
    const json = (await (await castellan.app.fetch(req)).json()) as { Events?: Array<{ CloudTrailEvent: string }> };
    if ((json.Events ?? []).length >= count) return json.Events!.map((e) => JSON.parse(e.CloudTrailEvent));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${count} ConsoleLogin events`);
}

beforeAll(async () => {
  const resolved = resolveConfig([{ ephemeral: true, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0 }]);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  castellan = await createCastellan(resolved.config, { logger: pino({ level: 'silent' }) });
  await iam({ Action: 'CreateUser', UserName: 'alice' });
});
afterAll(() => castellan?.close());

/** As `castellan root set-password` does: through the store, recorded in the trail. */
async function setRootPassword(store: Castellan['store'], input: { accountId: string; password: string }): Promise<string> {
  const audit = new StoreAuditLog({ store, transactionStore: (tx: typeof store) => tx });
  try {
    return await setRootPasswordRecorded({ store, ids: new CryptoIds(), audit, userAgent: 'castellan-cli' }, { ...input, now: new Date() });
  } finally {
    await audit.close();
  }
}

describe('console sign-in as root', () => {
  it('is refused, with the generic answer, while root has no password', async () => {
    const res = await signIn({ account: ACCOUNT, userName: 'root', password: PASSWORD });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ state: 'FAILED', message: SIGN_IN_FAILED });
  });

  it('refuses a root password the default password rules refuse, and stores none', async () => {
    await expect(setRootPassword(castellan.store, { accountId: ACCOUNT, password: 'short' })).rejects.toThrow(/password policy/);
    expect(await castellan.store.getRootPasswordHash(ACCOUNT)).toBeUndefined();
  });

  it('signs in as the account root and calls ListUsers with the cookie and CSRF header', async () => {
    expect(await setRootPassword(castellan.store, { accountId: ACCOUNT, password: PASSWORD })).toBe(ACCOUNT);
    expect(await castellan.store.getRootPasswordHash(ACCOUNT)).toMatch(/^\$argon2id\$/);
    const res = await signIn({ account: ACCOUNT, userName: 'root', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ state: 'SIGNED_IN', mfaUsed: false });
    const listed = await consoleCall(cookiePair(res.cookie), res.json['csrfToken'] as string, { Action: 'ListUsers' });
    expect(listed.status).toBe(200);
    expect(tag(listed.text, 'UserName')).toBe('alice');
  });

  it('refuses a wrong root password with the same answer as a user\'s', async () => {
    const wrong = await signIn({ account: ACCOUNT, userName: 'root', password: 'Wrong-Passw0rd!' });
    const unknownUser = await signIn({ account: ACCOUNT, userName: 'nobody', password: PASSWORD });
    expect(wrong).toEqual({ ...unknownUser, json: { state: 'FAILED', message: SIGN_IN_FAILED } });
    expect(wrong.status).toBe(401);
    expect(wrong.cookie).toBeNull();
  });

  it('records ConsoleLogin with a Root identity', async () => {
    const events = await consoleLogins(4);
    const success = events.find((e) => e.responseElements?.ConsoleLogin === 'Success');
    expect(success?.userIdentity).toMatchObject({ type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, principalId: ACCOUNT });
    const failures = events.filter((e) => e.responseElements?.ConsoleLogin === 'Failure' && e.userIdentity?.type === 'Root');
    expect(failures.length).toBeGreaterThanOrEqual(1);
  });

  it('asks root with an enabled MFA device for its code', async () => {
    const device = await iam({ Action: 'CreateVirtualMFADevice', VirtualMFADeviceName: 'root-phone' });
    const seed = Buffer.from(tag(device, 'Base32StringSeed')!, 'base64').toString('ascii');
    expect(await castellan.store.enableMfaDevice(tag(device, 'SerialNumber')!, { owner: { kind: 'root' }, enableDate: new Date(), usedStep: 0 })).toBe(true);
    const without = await signIn({ account: ACCOUNT, userName: 'root', password: PASSWORD });
    expect(without.json).toEqual({ state: 'MFA_REQUIRED' });
    const withCode = await signIn({ account: ACCOUNT, userName: 'root', password: PASSWORD, mfaCode: authenticator.generate(seed) });
    expect(withCode.json).toMatchObject({ state: 'SIGNED_IN', mfaUsed: true });
  });
});
