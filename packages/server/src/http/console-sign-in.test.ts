/**
 * Console sign-in through the assembled server, in process: password and TOTP sign-in, one answer
 * for every failure, the session cookie and CSRF header on ordinary Query calls (authorized and
 * audited like any other), sign-out, forced password change, lock-out and recovery on an injected
 * clock, and the ConsoleLogin events LookupEvents finds.
 */
import { authenticator } from 'otplib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { createCastellan, type Castellan } from '../main.js';
import { signedRequest, type TestCredentials } from '../sigv4/test-sign.js';
import { SIGN_IN_FAILED } from '../services/console/sign-in.js';
import { ConsoleSessionCodec } from '../services/console/console-session-codec.js';
import type { ChangeFeed } from '../domain/ports/change-feed.js';
import { LocalChangeFeed } from '../store/local-change-feed.js';

const ACCOUNT = '123456789012';
const ROOT: TestCredentials = { accessKeyId: 'AKIACONSOLESIGNIN001', secretAccessKey: 'console-sign-in-root-secret-0123456789ab' };
const BASE = 'http://castellan.test';
const PASSWORD = 'Corr3ct-Horse-Battery!';
const MASTER_KEY = 'ab'.repeat(32);
const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

let castellan: Castellan;
/** The injected clock runs this far ahead of real time. */
let offsetMs = 0;
let bobSeed = '';
/** When set, the store's change publications wait for it (a store hanging inside an attempt's turn). */
let holdPublish: (() => Promise<void>) | undefined;
/** When set, called at each read of the injected clock, after the time it answers is taken. */
let onClockRead: (() => void) | undefined;

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

async function iam(params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const res = await castellan.app.fetch(await signedRequest({ url: `${BASE}/`, body, service: 'iam', credentials: ROOT, signingDate: new Date(Date.now() + offsetMs) }));
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${params['Action']}: ${res.status} ${text}`);
  return text;
}

function code(seed: string, offsetSteps: number): string {
  const step = Math.floor((Date.now() + offsetMs) / 30_000) + offsetSteps;
  return authenticator.clone({ epoch: step * 30_000 }).generate(seed);
}

async function signIn(fields: Record<string, string>, form = false, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; cookie: string | null }> {
  const res = await castellan.app.fetch(new Request(`${BASE}/signin`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
    body: form ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
  }));
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, cookie: res.headers.get('set-cookie') };
}

/** A Query call made with the console session. */
async function consoleCall(cookie: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await castellan.app.fetch(new Request(`${BASE}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'user-agent': 'castellan-console/1', ...headers },
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
  }));
  return { status: res.status, text: await res.text() };
}

type Event = Record<string, any>;

/**
 * The events of `eventName` once `ready` holds of them. Read-only and refused calls' events are
 * written in batches, so a count alone may be reached before the event a test looks for is there.
 */
async function lookup(eventName: string, ready: (events: Event[]) => boolean): Promise<Event[]> {
  for (let i = 0; i < 50; i++) {
    const req = await signedRequest({
      url: `${BASE}/`, body: JSON.stringify({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }), service: 'cloudtrail', credentials: ROOT,
      headers: { 'x-amz-target': `${TARGET}.LookupEvents`, 'content-type': 'application/x-amz-json-1.1' }, signingDate: new Date(Date.now() + offsetMs),
    });
    const json = (await (await castellan.app.fetch(req)).json()) as { Events?: Array<{ CloudTrailEvent: string }> };
    const events = (json.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent) as Event);
    if (ready(events)) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the ${eventName} events looked for were not recorded`);
}

const cookiePair = (setCookie: string | null) => (setCookie ?? '').split(';')[0]!;

beforeAll(async () => {
  const resolved = resolveConfig([{ ephemeral: true, masterKey: MASTER_KEY, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0 }]);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  const feed = new LocalChangeFeed();
  const changeFeed: ChangeFeed = {
    publish: async (changes) => {
      await holdPublish?.();
      return feed.publish(changes);
    },
    subscribe: (listener) => feed.subscribe(listener),
    close: () => feed.close(),
  };
  const clock = {
    now: () => {
      const t = new Date(Date.now() + offsetMs);
      onClockRead?.();
      return t;
    },
  };
  castellan = await createCastellan(resolved.config, { logger: pino({ level: 'silent' }), clock, changeFeed });
  const readOwnUser = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  for (const name of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace']) {
    await iam({ Action: 'CreateUser', UserName: name });
    await iam({ Action: 'CreateLoginProfile', UserName: name, Password: PASSWORD, ...(name === 'carol' ? { PasswordResetRequired: 'true' } : {}) });
    await iam({ Action: 'PutUserPolicy', UserName: name, PolicyName: 'read-self', PolicyDocument: readOwnUser });
  }
  const device = await iam({ Action: 'CreateVirtualMFADevice', VirtualMFADeviceName: 'bob-phone' });
  // Base32StringSeed is a blob: the base32 text, base64-encoded on the wire.
  bobSeed = Buffer.from(tag(device, 'Base32StringSeed')!, 'base64').toString('ascii');
  await iam({ Action: 'EnableMFADevice', UserName: 'bob', SerialNumber: tag(device, 'SerialNumber')!, AuthenticationCode1: code(bobSeed, -1), AuthenticationCode2: code(bobSeed, 0) });
});
afterAll(() => castellan?.close());

describe('console sign-in', () => {
  let aliceCookie = '';
  let aliceCsrf = '';

  it('signs in with a password: an HttpOnly SameSite=Strict cookie and a CSRF token', async () => {
    const res = await signIn({ account: ACCOUNT, userName: 'alice', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ state: 'SIGNED_IN', mfaUsed: false });
    expect(res.cookie).toMatch(/^castellan-console=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    aliceCookie = cookiePair(res.cookie);
    aliceCsrf = res.json['csrfToken'] as string;
  });

  it('runs Query calls with the cookie and CSRF header through the engine', async () => {
    const ok = await consoleCall(aliceCookie, { Action: 'GetUser' }, { 'x-castellan-csrf': aliceCsrf });
    expect(ok.status).toBe(200);
    expect(tag(ok.text, 'UserName')).toBe('alice');
    const denied = await consoleCall(aliceCookie, { Action: 'ListUsers' }, { 'x-castellan-csrf': aliceCsrf });
    expect(denied.status).toBe(403);
    expect(tag(denied.text, 'Code')).toBe('AccessDenied');
  });

  it.each([
    { name: 'without the CSRF header', headers: (): Record<string, string> => ({}), code: 'AccessDenied', message: "The request is missing the console session's CSRF token (X-Castellan-CSRF)." },
    // Not "missing": a token was sent, another session's (a tab open when the browser signed in again), so that session is over.
    { name: 'with a wrong CSRF header', headers: () => ({ 'x-castellan-csrf': 'forged' }), code: 'InvalidClientTokenId', message: "The console session's CSRF token (X-Castellan-CSRF) does not match the session cookie: the browser signed in again since this session began. Sign in again." },
    { name: 'from another origin', headers: () => ({ 'x-castellan-csrf': aliceCsrf, origin: 'https://evil.example' }), code: 'AccessDenied', message: 'Cross-site requests cannot use a console session.' },
    { name: 'from another site (Sec-Fetch-Site)', headers: () => ({ 'x-castellan-csrf': aliceCsrf, 'sec-fetch-site': 'cross-site' }), code: 'AccessDenied', message: 'Cross-site requests cannot use a console session.' },
  ])('refuses a call $name', async ({ headers, code, message }) => {
    const res = await consoleCall(aliceCookie, { Action: 'GetUser' }, headers());
    expect(res.status).toBe(403);
    expect(tag(res.text, 'Code')).toBe(code);
    expect(tag(res.text, 'Message')).toBe(message);
  });

  it('accepts a same-origin Origin header', async () => {
    const res = await consoleCall(aliceCookie, { Action: 'GetUser' }, { 'x-castellan-csrf': aliceCsrf, origin: BASE, 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(200);
  });

  it.each<{ name: string; headers: Record<string, string> }>([
    { name: 'another origin', headers: { origin: 'https://evil.example' } },
    { name: 'another site (Sec-Fetch-Site)', headers: { 'sec-fetch-site': 'cross-site' } },
  ])('refuses a sign-in form submitted from $name, and issues no session', async ({ headers }) => {
    const res = await signIn({ account: ACCOUNT, userName: 'alice', password: PASSWORD }, true, headers);
    expect(res.status).toBe(403);
    expect(res.json['state']).toBe('FAILED');
    expect(res.cookie).toBeNull();
    expect((await signIn({ account: ACCOUNT, userName: 'alice', password: PASSWORD }, false, { origin: BASE, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('refuses an altered cookie', async () => {
    const i = Math.floor(aliceCookie.length / 2);
    const altered = aliceCookie.slice(0, i) + (aliceCookie[i] === 'A' ? 'B' : 'A') + aliceCookie.slice(i + 1);
    const res = await consoleCall(altered, { Action: 'GetUser' }, { 'x-castellan-csrf': aliceCsrf });
    expect(res.status).toBe(403);
    expect(tag(res.text, 'Code')).toBe('InvalidClientTokenId');
  });

  it('asks for the MFA code once the password is right, and issues no session', async () => {
    const res = await signIn({ account: ACCOUNT, userName: 'bob', password: PASSWORD });
    expect({ status: res.status, json: res.json, cookie: res.cookie }).toEqual({ status: 401, json: { state: 'MFA_REQUIRED' }, cookie: null });
  });

  it('gives one answer for a wrong password, a wrong MFA code, an unknown user or account', async () => {
    const attempts: Array<Record<string, string>> = [
      { account: ACCOUNT, userName: 'alice', password: 'wrong-password-1!' },
      { account: ACCOUNT, userName: 'bob', password: PASSWORD, mfaCode: code(bobSeed, 0) === '000000' ? '111111' : '000000' },
      { account: ACCOUNT, userName: 'nobody', password: PASSWORD },
      { account: '999999999999', userName: 'alice', password: PASSWORD },
    ];
    for (const attempt of attempts) {
      const res = await signIn(attempt);
      expect({ status: res.status, json: res.json, cookie: res.cookie }).toEqual({ status: 401, json: { state: 'FAILED', message: SIGN_IN_FAILED }, cookie: null });
    }    // The unknown name (it may be a password) is counted under a keyed hash, never kept as typed.
    const now = new Date(Date.now() + offsetMs);
    const hashed = new ConsoleSessionCodec(Buffer.from(MASTER_KEY, 'hex')).guardName('nobody');
    expect(await castellan.store.getSignInFailures('sign-in-name', JSON.stringify([ACCOUNT, 'nobody']), now)).toBeUndefined();
    expect(await castellan.store.getSignInFailures('sign-in-name', JSON.stringify([ACCOUNT, hashed]), now)).toMatchObject({ failures: 1 });
  });

  it('signs in with a TOTP code (form body); the session carries MFA', async () => {
    const res = await signIn({ account: ACCOUNT, userName: 'bob', password: PASSWORD, mfaCode: code(bobSeed, 1) }, true);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ state: 'SIGNED_IN', mfaUsed: true });
    const call = await consoleCall(cookiePair(res.cookie), { Action: 'GetUser' }, { 'x-castellan-csrf': res.json['csrfToken'] as string });
    expect(tag(call.text, 'UserName')).toBe('bob');
  });

  it('answers a distinct state, and no session, when the password must be changed', async () => {
    const res = await signIn({ account: ACCOUNT, userName: 'carol', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.json['state']).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(res.cookie).toBeNull();
  });

  it('records ConsoleLogin events as AWS does, and the console calls with their user agent', async () => {
    const isBobSuccess = (e: Event) => e.userIdentity?.userName === 'bob' && e.responseElements?.ConsoleLogin === 'Success';
    const isAliceFailure = (e: Event) => e.userIdentity?.userName === 'alice' && e.responseElements?.ConsoleLogin === 'Failure';
    const events = await lookup('ConsoleLogin', (es) => es.length >= 7 && es.some(isBobSuccess) && es.some(isAliceFailure));
    for (const e of events) expect(e).toMatchObject({ eventSource: 'signin.amazonaws.com', eventType: 'AwsConsoleSignIn', awsRegion: 'us-east-1', recipientAccountId: ACCOUNT });
    const bobSuccess = events.find(isBobSuccess);
    expect(bobSuccess).toMatchObject({ userIdentity: { type: 'IAMUser' }, additionalEventData: { MFAUsed: 'Yes', MobileVersion: 'No', LoginTo: `${BASE}/console/` } });
    const aliceFailure = events.find(isAliceFailure);
    expect(aliceFailure).toMatchObject({ errorMessage: 'Failed authentication', additionalEventData: { MFAUsed: 'No' } });
    expect(aliceFailure).not.toHaveProperty('errorCode');
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
    // A name that is no user of the account: AWS's hidden IAMUser and its errorMessage; the name typed is not kept.
    const unknownName = events.filter((e) => e.errorMessage === 'No username found in supplied account');
    expect(unknownName.map((e) => e.userIdentity)).toEqual([{ type: 'IAMUser', accountId: ACCOUNT, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }]);
    expect(JSON.stringify(events)).not.toContain('nobody');
    // Console calls: the session in userIdentity (signed in to, with or without MFA), sessionCredentialFromConsole.
    const consoleRead = (name: string) => (e: Event) => e.userIdentity?.userName === name && e.errorCode === undefined && e.userAgent === 'castellan-console/1';
    const getUsers = await lookup('GetUser', (es) => es.some(consoleRead('alice')) && es.some(consoleRead('bob')));
    const getUser = getUsers.find(consoleRead('alice'));
    expect(getUser).toMatchObject({ eventSource: 'iam.amazonaws.com', userAgent: 'castellan-console/1', sessionCredentialFromConsole: 'true' });
    expect(getUser!.userIdentity.sessionContext).toEqual({ sessionIssuer: {}, attributes: { creationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), mfaAuthenticated: 'false' } });
    expect(getUsers.find(consoleRead('bob'))).toMatchObject({ sessionCredentialFromConsole: 'true', userIdentity: { sessionContext: { attributes: { mfaAuthenticated: 'true' } } } });
    // A signed call is no console session's.
    const signedCall = (await lookup('CreateUser', (es) => es.length > 0))[0]!;
    expect(signedCall).not.toHaveProperty('sessionCredentialFromConsole');
    expect(signedCall.userIdentity).not.toHaveProperty('sessionContext');
    const user = await iam({ Action: 'GetUser', UserName: 'alice' });
    expect(tag(user, 'PasswordLastUsed')).toBeDefined();
  });

  it('ends the session at sign-out', async () => {
    const out = await castellan.app.fetch(new Request(`${BASE}/signout`, { method: 'POST', headers: { cookie: aliceCookie, 'x-castellan-csrf': aliceCsrf } }));
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    const res = await consoleCall(aliceCookie, { Action: 'GetUser' }, { 'x-castellan-csrf': aliceCsrf });
    expect(res.status).toBe(403);
    expect(tag(res.text, 'Code')).toBe('ExpiredToken');
  });

  it('slows down, then locks the name out, and lets it in again after 15 minutes', async () => {
    const wrong = { account: ACCOUNT, userName: 'dave', password: 'not-the-password-1!' };
    for (let i = 0; i < 5; i++) {
      expect((await signIn(wrong)).status).toBe(401);
      offsetMs += 10_000; // past each slow-down wait
    }
    const locked = await signIn({ account: ACCOUNT, userName: 'dave', password: PASSWORD });
    expect(locked).toEqual({ status: 401, json: { state: 'FAILED', message: SIGN_IN_FAILED }, cookie: null });
    offsetMs += 15 * 60_000;
    expect((await signIn({ account: ACCOUNT, userName: 'dave', password: PASSWORD })).status).toBe(200);
  });

  it('tests one password at a time per name: attempts sent together are throttled as if sent in turn', async () => {
    // Sent in turn, the third failure makes the name wait a second and the later ones are refused
    // unread; sent together, all nine used to pass the throttle first, each testing a password,
    // and their nine failures locked the name.
    const wrong = Array.from({ length: 9 }, (_, i) => ({ account: ACCOUNT, userName: 'erin', password: `not-the-password-${i}!` }));
    const answers = await Promise.all(wrong.map((w) => signIn(w)));
    expect(answers.map((a) => a.status)).toEqual(Array(9).fill(401));
    offsetMs += 10_000; // past the slow-down, well before a lock would end
    expect((await signIn({ account: ACCOUNT, userName: 'erin', password: PASSWORD })).status).toBe(200);
  });

  it('tests at most the address’s limit of passwords when attempts on many names are sent together', async () => {
    // Twenty failures lock an address. Thirty attempts on thirty names, sent together from one
    // address, used to all pass its throttle before the first failure was counted.
    const peer = { incoming: { socket: { remoteAddress: '198.51.100.7' } } };
    const attempts = Array.from({ length: 30 }, (_, i) => castellan.app.fetch(new Request(`${BASE}/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: ACCOUNT, userName: `sprayed-${i}`, password: 'Summer2026!' }),
    }), peer as never));
    expect((await Promise.all(attempts)).map((r) => r.status)).toEqual(Array(30).fill(401));
    expect(await castellan.store.getSignInFailures('sign-in-address', '198.51.100.7', new Date(Date.now() + offsetMs))).toMatchObject({ failures: 20 });
  });

  it('throttles and records an attempt that waited behind another of its name at the time its turn came', async () => {
    // Given frank's sign-in held inside its turn (the store's change publication hanging)
    let releasePublish!: () => void;
    const published = new Promise<void>((resolve) => (releasePublish = resolve));
    const held = new Promise<void>((resolve) => (holdPublish = async () => { resolve(); await published; }));
    const first = signIn({ account: ACCOUNT, userName: 'frank', password: PASSWORD });
    await held;
    // When a second attempt of frank arrives (the clock's first read after it) and the clock then
    // moves an hour on before the first ends
    const t0 = Date.now() + offsetMs;
    onClockRead = () => {
      onClockRead = undefined;
      offsetMs += 60 * 60_000;
      holdPublish = undefined;
      releasePublish();
    };
    const second = signIn({ account: ACCOUNT, userName: 'frank', password: 'not-the-password-z!' });
    expect([(await first).status, (await second).status]).toEqual([200, 401]);
    // Then the second is recorded (and was throttled) at its turn, an hour on, not when it arrived
    const isFrankFailure = (e: Event) => e.userIdentity?.userName === 'frank' && e.responseElements?.ConsoleLogin === 'Failure';
    const [failure] = (await lookup('ConsoleLogin', (es) => es.some(isFrankFailure))).filter(isFrankFailure);
    expect(Date.parse(failure!.eventTime as string)).toBeGreaterThanOrEqual(t0 + 60 * 60_000 - 1000);
  });

  it('refuses, without counting a failure, an attempt past the ten of its name already running or waiting', async () => {
    // Given frank's sign-in held inside its turn, and nine more waiting behind it
    const frankId = tag(await iam({ Action: 'GetUser', UserName: 'frank' }), 'UserId')!;
    const failures = async () => (await castellan.store.getSignInFailures('sign-in-name', JSON.stringify([ACCOUNT, frankId]), new Date(Date.now() + offsetMs)))?.failures ?? 0;
    let releasePublish!: () => void;
    const published = new Promise<void>((resolve) => (releasePublish = resolve));
    const held = new Promise<void>((resolve) => (holdPublish = async () => { resolve(); await published; }));
    const running = signIn({ account: ACCOUNT, userName: 'frank', password: PASSWORD });
    await held;
    const waiting = Array.from({ length: 9 }, () => signIn({ account: ACCOUNT, userName: 'frank', password: PASSWORD }));
    // When an eleventh comes (with the right password), Then it is answered as a failure at once
    const eleventh = await signIn({ account: ACCOUNT, userName: 'frank', password: PASSWORD });
    expect(eleventh).toEqual({ status: 401, json: { state: 'FAILED', message: SIGN_IN_FAILED }, cookie: null });
    // And counted no failure against the name (the held success has cleared its count already)
    expect(await failures()).toBe(0);
    holdPublish = undefined;
    releasePublish();
    expect((await Promise.all([running, ...waiting])).map((a) => a.status)).toEqual(Array(10).fill(200));
  });
});

describe('the session cookie over TLS: __Host-castellan-console, and only that name', () => {
  const TLS = 'https://castellan.test';
  const post = (app: Castellan['app'], url: string, headers: Record<string, string>, body: string) =>
    app.fetch(new Request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'castellan-console/1', ...headers }, body }));
  const signInAt = async (app: Castellan['app'], base: string, headers: Record<string, string> = {}) => {
    const res = await post(app, `${base}/signin`, headers, new URLSearchParams({ account: ACCOUNT, userName: 'grace', password: PASSWORD }).toString());
    expect(res.status).toBe(200);
    return { cookie: res.headers.get('set-cookie') ?? '', csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  };
  const getUser = async (app: Castellan['app'], base: string, cookie: string, csrf: string, headers: Record<string, string> = {}) => {
    const res = await post(app, `${base}/`, { cookie, 'x-castellan-csrf': csrf, ...headers }, new URLSearchParams({ Action: 'GetUser', Version: '2010-05-08' }).toString());
    return { status: res.status, code: tag(await res.text(), 'Code') };
  };

  it.each([
    { name: 'over TLS: the __Host- name, Secure, Path=/, no Domain', base: TLS, expected: /^__Host-castellan-console=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600; Secure$/ },
    { name: 'over plain http: the plain name, not Secure', base: BASE, expected: /^castellan-console=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/ },
  ])('names the cookie by the transport $name', async ({ base, expected }) => {
    expect((await signInAt(castellan.app, base)).cookie).toMatch(expected);
  });

  it('reads only the transport\'s name: the plain name over TLS, or the __Host- one over http, is no session', async () => {
    const { cookie, csrf } = await signInAt(castellan.app, TLS);
    const value = cookiePair(cookie).slice(cookiePair(cookie).indexOf('=') + 1);
    expect(await getUser(castellan.app, TLS, `__Host-castellan-console=${value}`, csrf)).toEqual({ status: 200, code: undefined });
    // The same sealed session under the other name: not a console request at all, so unauthenticated.
    expect(await getUser(castellan.app, TLS, `castellan-console=${value}`, csrf)).toEqual({ status: 403, code: 'MissingAuthenticationToken' });
    expect(await getUser(castellan.app, BASE, `__Host-castellan-console=${value}`, csrf)).toEqual({ status: 403, code: 'MissingAuthenticationToken' });
    // An untrusted peer saying https changes nothing.
    expect(await getUser(castellan.app, BASE, `__Host-castellan-console=${value}`, csrf, { 'x-forwarded-proto': 'https' })).toEqual({ status: 403, code: 'MissingAuthenticationToken' });
    const out = await post(castellan.app, `${TLS}/signout`, { cookie: `__Host-castellan-console=${value}`, 'x-castellan-csrf': csrf }, '');
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toBe('__Host-castellan-console=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
  });

  it('uses the __Host- name behind a trusted proxy that says https, and the plain one when it says http', async () => {
    const resolved = resolveConfig([{ ephemeral: true, masterKey: MASTER_KEY, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0, trustedProxies: '127.0.0.1' }]);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    const proxied = await createCastellan(resolved.config, { logger: pino({ level: 'silent' }) });
    try {
      const readSelf = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
      const calls: Record<string, string>[] = [{ Action: 'CreateUser' }, { Action: 'CreateLoginProfile', Password: PASSWORD }, { Action: 'PutUserPolicy', PolicyName: 'read-self', PolicyDocument: readSelf }];
      for (const params of calls) {
        const body = new URLSearchParams({ ...params, UserName: 'grace', Version: '2010-05-08' }).toString();
        expect((await proxied.app.fetch(await signedRequest({ url: `${BASE}/`, body, service: 'iam', credentials: ROOT }))).status).toBe(200);
      }
      const https = await signInAt(proxied.app, BASE, { 'x-forwarded-for': '192.0.2.7', 'x-forwarded-proto': 'https' });
      expect(https.cookie).toMatch(/^__Host-castellan-console=.*; Secure$/);
      expect(await getUser(proxied.app, BASE, cookiePair(https.cookie), https.csrf, { 'x-forwarded-proto': 'https' })).toEqual({ status: 200, code: undefined });
      expect((await signInAt(proxied.app, BASE, { 'x-forwarded-for': '192.0.2.7', 'x-forwarded-proto': 'http' })).cookie).toMatch(/^castellan-console=/);
    } finally {
      await proxied.close();
    }
  });
});

describe('the Secure cookie at start', () => {
  // Castellan serves plain http: with an https console origin and no trusted proxy, no request can
  // be known to be https, so the session cookie is never Secure. The operator hears it in the log.
  it.each([
    { name: 'warns of an https console origin with no trusted proxy', extra: {}, warns: true },
    { name: 'says nothing behind a trusted proxy', extra: { trustedProxies: '127.0.0.1' }, warns: false },
  ])('$name', async ({ extra, warns }) => {
    const resolved = resolveConfig([{ ephemeral: true, masterKey: MASTER_KEY, accountId: ACCOUNT, logLevel: 'silent', trailExportMinutes: 0, consoleOrigin: 'https://iam.example.com', ...extra }]);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
    const built = await createCastellan(resolved.config, { logger });
    await built.close();
    const warning = lines.find((l) => l.level === 40 && l.msg.includes('--console-origin'));
    if (warns) expect(warning?.msg).toMatch(/without Secure.*--trusted-proxies/);
    else expect(warning).toBeUndefined();
  });
});
