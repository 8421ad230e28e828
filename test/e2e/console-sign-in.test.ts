/**
 * Console sign-in over real HTTP against a started server (its clock injected): a wrong password,
 * a wrong and a replayed TOTP code, lock-out that outlives a restart and recovery after 15
 * minutes, the forced password change at sign-in (policy and reuse refused with AWS's texts, the
 * change audited as ChangePassword, HardExpiry refused), root's sign-in in the credential report,
 * and security keys: registration for the signed-in user (authorized and audited), ListMFADevices,
 * sign-in with the key, replay and counter checks, DeactivateMFADevice. The key is a software
 * authenticator (attestation `none`, assertions signed with node:crypto).
 */
import { LookupEventsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  CreateLoginProfileCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteAccountPasswordPolicyCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListMFADevicesCommand,
  PutUserPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { CloudTrailClient as CloudTrail } from '@aws-sdk/client-cloudtrail';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRootPassword } from './helpers/root-password.js';
import pino from 'pino';
import { startCastellan, type CastellanServer } from '@castellan/server';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { SoftwareAuthenticator } from './helpers/software-authenticator.js';

const FAILED = { state: 'FAILED', message: 'Your authentication information is incorrect. Please try again.' };
const PASSWORD = 'Sign-in-Pa55word!';
const DAY = 24 * 60 * 60 * 1000;

let t: TestCastellan;
/** The injected clock runs this far ahead of real time. */
let offset = 0;
const iam = (): IAMClient => new IAMClient({ endpoint: t.url, region: 'us-east-1', credentials: t.root, maxAttempts: 1, systemClockOffset: offset });
const trail = (): CloudTrailClient => new CloudTrail({ endpoint: t.url, region: 'us-east-1', credentials: t.root, maxAttempts: 1, systemClockOffset: offset });

interface Answer { status: number; json: Record<string, any>; cookie?: string }

async function post(path: string, body: unknown, headers: Record<string, string> = {}, url = t.url): Promise<Answer> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'e2e-console/1', ...headers }, body: JSON.stringify(body) });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  return { status: res.status, json: (await res.json()) as Record<string, any>, ...(cookie ? { cookie } : {}) };
}
const signIn = (fields: Record<string, unknown>, url = t.url) => post('/signin', { account: E2E_ACCOUNT_ID, ...fields }, {}, url);

/** A TOTP code of `seed` for the step `steps` from the server's now. */
const totp = (seed: string, steps = 0) => authenticator.clone({ epoch: (Math.floor((Date.now() + offset) / 30_000) + steps) * 30_000 }).generate(seed);

async function user(name: string, password = PASSWORD, resetRequired = false): Promise<void> {
  await iam().send(new CreateUserCommand({ UserName: name }));
  await iam().send(new CreateLoginProfileCommand({ UserName: name, Password: password, PasswordResetRequired: resetRequired }));
}

/** The `name` events of `userName` once `count` of them are in the trail (read-only ones are written in batches). */
/** The user's events of that name, once at least `count` are there and `ready` holds (read-only records are batched). */
async function events(name: string, userName: string, count = 1, ready: (found: Array<Record<string, any>>) => boolean = () => true): Promise<Array<Record<string, any>>> {
  for (let i = 0; i < 50; i++) {
    const found = ((await trail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }))).Events ?? [])
      .map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>)
      .filter((e) => e['userIdentity']?.userName === userName);
    if (found.length >= count && ready(found)) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${count} ${name} events of ${userName}`);
}

beforeAll(async () => {
  t = await startTestCastellan({}, { clock: { now: () => new Date(Date.now() + offset) } });
});
afterAll(() => t?.dispose());

describe('console sign-in over HTTP', () => {
  it('refuses a wrong password and an unknown user with one answer, and signs in with the right one', async () => {
    await user('ana');
    for (const attempt of [{ userName: 'ana', password: 'Wrong-pa55word!' }, { userName: 'nobody', password: PASSWORD }]) {
      expect(await signIn(attempt)).toEqual({ status: 401, json: FAILED });
    }
    const ok = await signIn({ userName: 'ana', password: PASSWORD });
    expect(ok).toMatchObject({ status: 200, json: { state: 'SIGNED_IN', mfaUsed: false } });
    expect(ok.cookie).toMatch(/^castellan-console=/);
  });

  it('asks a TOTP user for the code, refuses a wrong code and a replayed one', async () => {
    await user('ben');
    const { VirtualMFADevice } = await iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'ben-phone' }));
    const seed = Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('ascii');
    await iam().send(new EnableMFADeviceCommand({ UserName: 'ben', SerialNumber: VirtualMFADevice!.SerialNumber!, AuthenticationCode1: totp(seed, -2), AuthenticationCode2: totp(seed, -1) }));
    expect(await signIn({ userName: 'ben', password: PASSWORD })).toEqual({ status: 401, json: { state: 'MFA_REQUIRED' } });
    const good = totp(seed);
    expect(await signIn({ userName: 'ben', password: PASSWORD, mfaCode: good === '123456' ? '654321' : '123456' })).toEqual({ status: 401, json: FAILED });
    expect(await signIn({ userName: 'ben', password: PASSWORD, mfaCode: good })).toMatchObject({ status: 200, json: { state: 'SIGNED_IN', mfaUsed: true } });
    expect(await signIn({ userName: 'ben', password: PASSWORD, mfaCode: good })).toEqual({ status: 401, json: FAILED });
  });

  it('slows down, locks the name out (also after a restart), and lets it in after 15 minutes', async () => {
    await user('cy');
    for (let i = 0; i < 5; i++) {
      expect(await signIn({ userName: 'cy', password: `Wrong-pa55word-${i}` })).toEqual({ status: 401, json: FAILED });
      offset += 10_000; // past each slow-down wait
    }
    expect(await signIn({ userName: 'cy', password: PASSWORD })).toEqual({ status: 401, json: FAILED });
    // The lock is in the store: a restarted server (another node) honours it.
    await t.restart();
    expect(await signIn({ userName: 'cy', password: PASSWORD })).toEqual({ status: 401, json: FAILED });
    offset += 15 * 60_000;
    expect(await signIn({ userName: 'cy', password: PASSWORD })).toMatchObject({ status: 200, json: { state: 'SIGNED_IN' } });
  });

  it('counts failures per user whatever the spelling of its name: case variants share one lock-out', async () => {
    await user('kora');
    // U+212A KELVIN SIGN lower-cases to "k": the store finds "kora" under that spelling too.
    for (const userName of ['kora', 'Kora', 'KORA', 'kOra', '\u212Aora']) {
      expect(await signIn({ userName, password: 'Wrong-pa55word!' })).toEqual({ status: 401, json: FAILED });
      offset += 10_000;
    }
    for (const userName of ['KoRa', 'kora', '\u212AORA']) expect(await signIn({ userName, password: PASSWORD })).toEqual({ status: 401, json: FAILED });
    offset += 15 * 60_000;
    expect(await signIn({ userName: 'KORA', password: PASSWORD })).toMatchObject({ status: 200, json: { state: 'SIGNED_IN' } });
  });

  it('a sign-out holds after a restart', async () => {
    const { json, cookie } = await signIn({ userName: 'ana', password: PASSWORD });
    const headers = { cookie: cookie!, 'x-castellan-csrf': json['csrfToken'] as string };
    expect((await post('/signout', {}, headers)).status).toBe(200);
    await t.restart();
    const res = await fetch(`${t.url}/`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetUser&Version=2010-05-08' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>ExpiredToken</Code>');
  });

  it('a console session is temporary credentials: no GetSessionToken or GetFederationToken from it', async () => {
    // Otherwise a console-only user would turn a sign-in into API credentials outliving its sign-out.
    const { json, cookie } = await signIn({ userName: 'ana', password: PASSWORD });
    const headers = { cookie: cookie!, 'x-castellan-csrf': json['csrfToken'] as string, 'content-type': 'application/x-www-form-urlencoded' };
    for (const body of ['Action=GetSessionToken&DurationSeconds=129600&Version=2011-06-15', 'Action=GetFederationToken&Name=fed&Version=2011-06-15']) {
      const res = await fetch(`${t.url}/`, { method: 'POST', headers, body });
      const text = await res.text();
      expect(res.status, text).toBe(403);
      expect(text).toContain('<Code>AccessDenied</Code>');
      expect(text).toMatch(/Cannot call (GetSessionToken|GetFederationToken) with session credentials/);
    }
  });

  it('two nodes on one database share lock-outs and sign-outs', async () => {
    // A second server on the same database and master key: another node of the deployment.
    const other: CastellanServer = await startCastellan({ ...t.config, port: 0 }, {
      logger: pino({ level: 'silent' }), clock: { now: () => new Date(Date.now() + offset) }, ...(t.postgresSchema ? { postgresSchema: t.postgresSchema } : {}),
    });
    try {
      await user('cal');
      for (let i = 0; i < 5; i++) {
        expect(await signIn({ userName: 'cal', password: `Wrong-pa55word-${i}` }, i % 2 === 0 ? t.url : other.url)).toEqual({ status: 401, json: FAILED });
        offset += 10_000;
      }
      expect(await signIn({ userName: 'cal', password: PASSWORD }, other.url)).toEqual({ status: 401, json: FAILED });
      expect(await signIn({ userName: 'cal', password: PASSWORD }, t.url)).toEqual({ status: 401, json: FAILED });

      const { json, cookie } = await signIn({ userName: 'ana', password: PASSWORD }, other.url);
      const headers = { cookie: cookie!, 'x-castellan-csrf': json['csrfToken'] as string, 'content-type': 'application/x-www-form-urlencoded' };
      // ana may call nothing: a live session is denied by policy, an ended one is refused as expired.
      const errorCode = async (url: string) => /<Code>(\w+)<\/Code>/.exec(await (await fetch(`${url}/`, { method: 'POST', headers, body: 'Action=GetUser&Version=2010-05-08' })).text())?.[1];
      expect(await errorCode(t.url)).toBe('AccessDenied');
      expect((await post('/signout', {}, headers, t.url)).status).toBe(200);
      expect(await errorCode(other.url)).toBe('ExpiredToken');
    } finally {
      await other.close();
    }
  });

  it('makes a reset-required user change the password at sign-in, under the policy and reuse rules, audited as ChangePassword', async () => {
    await iam().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireSymbols: true, PasswordReusePrevention: 3, AllowUsersToChangePassword: true }));
    await user('dee', PASSWORD, true);
    expect(await signIn({ userName: 'dee', password: PASSWORD })).toMatchObject({ status: 403, json: { state: 'PASSWORD_CHANGE_REQUIRED', hardExpired: false } });
    // A wrong old password is a failed sign-in, whatever the new one.
    expect(await signIn({ userName: 'dee', password: 'Wrong-pa55word!', newPassword: 'Brand-new-pa55word!' })).toEqual({ status: 401, json: FAILED });
    expect(await signIn({ userName: 'dee', password: PASSWORD, newPassword: 'short' })).toEqual({
      status: 403,
      json: { state: 'PASSWORD_CHANGE_REQUIRED', hardExpired: false, message: 'Password should have a minimum length of 12, Password should have at least one symbol' },
    });
    expect(await signIn({ userName: 'dee', password: PASSWORD, newPassword: PASSWORD })).toEqual({
      status: 403,
      json: { state: 'PASSWORD_CHANGE_REQUIRED', hardExpired: false, message: 'Password should not be one of your 3 previous passwords' },
    });
    const changed = await signIn({ userName: 'dee', password: PASSWORD, newPassword: 'Brand-new-pa55word!' });
    expect(changed).toMatchObject({ status: 200, json: { state: 'SIGNED_IN' } });
    expect(await signIn({ userName: 'dee', password: PASSWORD })).toEqual({ status: 401, json: FAILED });
    expect(await signIn({ userName: 'dee', password: 'Brand-new-pa55word!' })).toMatchObject({ status: 200 });

    const change = await events('ChangePassword', 'dee', 2);
    expect(change.some((e) => e.errorCode === undefined && e.eventSource === 'iam.amazonaws.com')).toBe(true);
    expect(change.some((e) => e.errorCode === 'PasswordPolicyViolationException')).toBe(true);
    const logins = await events('ConsoleLogin', 'dee', 2, (found) => found.some((e) => e.responseElements?.ConsoleLogin === 'Success'));
    expect(logins.map((e) => e.responseElements?.ConsoleLogin)).toContain('Success');
    expect(JSON.stringify([...change, ...logins])).not.toMatch(/Brand-new-pa55word|Sign-in-Pa55word/);
  });

  it('refuses a change at sign-in under HardExpiry', async () => {
    await iam().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8, AllowUsersToChangePassword: true, MaxPasswordAge: 1, HardExpiry: true }));
    await user('eli');
    offset += 2 * DAY;
    expect(await signIn({ userName: 'eli', password: PASSWORD, newPassword: 'Another-pa55word!' })).toMatchObject({ status: 403, json: { state: 'PASSWORD_CHANGE_REQUIRED', hardExpired: true } });
    expect(await signIn({ userName: 'eli', password: 'Another-pa55word!' })).toEqual({ status: 401, json: FAILED });
    await iam().send(new DeleteAccountPasswordPolicyCommand({}));
  });

  it('refuses the change at sign-in to a user the policies do not allow to change their password', async () => {
    // No AllowUsersToChangePassword and no iam:ChangePassword: the ChangePassword call is denied by the engine.
    await user('hal', PASSWORD, true);
    const refused = await signIn({ userName: 'hal', password: PASSWORD, newPassword: 'Brand-new-pa55word!' });
    expect(refused).toMatchObject({ status: 403, json: { state: 'PASSWORD_CHANGE_REQUIRED', hardExpired: false } });
    expect(refused.json['message']).toContain('iam:ChangePassword');
    const [denied] = await events('ChangePassword', 'hal');
    expect(denied).toMatchObject({ errorCode: 'AccessDenied' });
  });

  it('records root\'s sign-in as password_last_used of <root_account> in the credential report', async () => {
    await setRootPassword(t.server.store, { accountId: E2E_ACCOUNT_ID, password: PASSWORD });
    expect(await signIn({ userName: 'root', password: PASSWORD })).toMatchObject({ status: 200 });
    await iam().send(new GenerateCredentialReportCommand({}));
    let content = '';
    for (let i = 0; i < 50 && !content; i++) {
      try {
        content = Buffer.from((await iam().send(new GetCredentialReportCommand({}))).Content!).toString('utf8');
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const [header, root] = content.split('\n').map((l) => l.split(','));
    expect(root![0]).toBe('<root_account>');
    expect(root![header!.indexOf('password_last_used')]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('security keys (WebAuthn) over HTTP', () => {
  const key = new SoftwareAuthenticator();
  let serial = '';
  const origin = () => t.url;

  async function session(userName: string): Promise<Record<string, string>> {
    const { json, cookie } = await signIn({ userName, password: PASSWORD });
    expect(json['state']).toBe('SIGNED_IN');
    return { cookie: cookie!, 'x-castellan-csrf': json['csrfToken'] as string };
  }

  it('registers a key for the signed-in user (authorized and audited); ListMFADevices shows its u2f serial', async () => {
    await user('fay');
    await iam().send(new PutUserPolicyCommand({
      UserName: 'fay', PolicyName: 'own-mfa',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice'], Resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/\${aws:username}` }] }),
    }));
    const headers = await session('fay');
    const options = await post('/console-api/webauthn/registration-options', {}, headers);
    expect(options).toMatchObject({ status: 200, json: { options: { rp: { id: '127.0.0.1' }, user: { name: 'fay' }, attestation: 'none' } } });
    // Without the CSRF header the call is refused by the pipeline's authentication.
    expect((await post('/console-api/webauthn/register', { deviceName: 'yubi', response: {} }, { cookie: headers['cookie']! })).status).toBe(403);
    const registered = await post('/console-api/webauthn/register', { deviceName: 'yubi', response: key.register(options.json['options'], origin()) }, headers);
    expect(registered.status).toBe(200);
    serial = registered.json['SerialNumber'] as string;
    expect(serial).toMatch(new RegExp(`^arn:aws:iam::${E2E_ACCOUNT_ID}:u2f/user/fay/[A-F0-9]{32}$`));
    // The same challenge cannot register again.
    expect((await post('/console-api/webauthn/register', { deviceName: 'yubi2', response: key.register(options.json['options'], origin()) }, headers)).json).toMatchObject({ error: { code: 'InvalidInput' } });
    const { MFADevices } = await iam().send(new ListMFADevicesCommand({ UserName: 'fay' }));
    expect(MFADevices?.map((d) => d.SerialNumber)).toEqual([serial]);
    // ben's virtual device and fay's key.
    expect((await iam().send(new GetAccountSummaryCommand({}))).SummaryMap).toMatchObject({ MFADevices: 2, MFADevicesInUse: 2 });
    const enabled = (await events('EnableMFADevice', 'fay', 2)).find((e) => !e.errorCode);
    expect(enabled).toMatchObject({ eventSource: 'iam.amazonaws.com', requestParameters: { userName: 'fay', deviceName: 'yubi' }, responseElements: { serialNumber: serial } });
    expect(JSON.stringify(enabled)).not.toContain('attestationObject');
  });

  it('refuses registration to a user without the permissions', async () => {
    await user('gus');
    const headers = await session('gus');
    const options = await post('/console-api/webauthn/registration-options', {}, headers);
    expect(options).toMatchObject({ status: 403, json: { error: { code: 'AccessDenied' } } });
    const [denied] = await events('CreateVirtualMFADevice', 'gus');
    expect(denied).toMatchObject({ errorCode: 'AccessDenied' });
  });

  it.each([
    ['a live cookie', false],
    ['a signed-out cookie', true],
  ])('acts only for the console session: another principal’s SigV4 signature beside %s is refused on both routes', async (_name, signOut) => {
    // Mallory may create and enable MFA devices for anyone; kim is signed in (or was).
    const mallory = signOut ? 'mal-2' : 'mal-1';
    await iam().send(new CreateUserCommand({ UserName: mallory }));
    await iam().send(new PutUserPolicyCommand({ UserName: mallory, PolicyName: 'any-mfa', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice'], Resource: '*' }] }) }));
    const k = (await iam().send(new CreateAccessKeyCommand({ UserName: mallory }))).AccessKey!;
    const signer = new SignatureV4({ credentials: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }, region: 'us-east-1', service: 'iam', sha256: Sha256 });
    const kim = signOut ? 'kim-2' : 'kim-1';
    await user(kim);
    const headers = await session(kim);
    if (signOut) {
      expect((await post('/signout', {}, headers)).status).toBe(200);
      // The cookie alone is refused by the pipeline's authentication, as before.
      expect(await post('/console-api/webauthn/registration-options', {}, headers)).toMatchObject({ status: 403, json: { error: { code: 'ExpiredToken' } } });
    }
    const url = new URL(t.url);
    for (const [path, body] of [['/console-api/webauthn/registration-options', '{}'], ['/console-api/webauthn/register', JSON.stringify({ deviceName: 'mal', response: {} })]] as const) {
      const signed = await signer.sign(
        { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, headers: { host: url.host, 'content-type': 'application/json' }, body },
        { signingDate: new Date(Date.now() + offset) },
      );
      const sent: Record<string, string> = { cookie: headers['cookie']! };
      for (const [name, value] of Object.entries(signed.headers)) if (name !== 'host') sent[name] = value;
      const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: sent, body });
      expect([path, res.status, (await res.json()) as Record<string, any>]).toEqual([path, 403, { error: { code: 'AccessDenied', message: expect.stringContaining('console session only') } }]);
    }
  });

  it('decides and registers on the signed-in user by id: after a rename, the session\'s old name (now another user\'s) grants nothing', async () => {
    await user('ivy');
    // Grants the two actions on the ARN of the name "ivy" only, whoever holds it.
    await iam().send(new PutUserPolicyCommand({
      UserName: 'ivy', PolicyName: 'mfa-on-the-name',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice'], Resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/ivy` }] }),
    }));
    const headers = await session('ivy');
    await iam().send(new UpdateUserCommand({ UserName: 'ivy', NewUserName: 'ivy-renamed' }));
    await iam().send(new CreateUserCommand({ UserName: 'ivy' }));
    const options = await post('/console-api/webauthn/registration-options', {}, headers);
    expect(options).toMatchObject({ status: 403, json: { error: { code: 'AccessDenied' } } });
    expect(options.json['error'].message).toContain(`user/ivy-renamed`);
    // The record names the user acted on, not the name the session signed in with.
    const [denied] = await events('CreateVirtualMFADevice', 'ivy-renamed');
    expect(denied).toMatchObject({ errorCode: 'AccessDenied', requestParameters: { userName: 'ivy-renamed' } });
  });

  it('signs in with the key as the second factor; a replayed or held-back answer fails', async () => {
    const asked = await signIn({ userName: 'fay', password: PASSWORD });
    expect(asked).toMatchObject({ status: 401, json: { state: 'MFA_REQUIRED', webauthn: { rpId: '127.0.0.1', allowCredentials: [{ id: key.id }] } } });
    const answer = key.authenticate(asked.json['webauthn'], origin());
    expect(await signIn({ userName: 'fay', password: PASSWORD, webauthnResponse: answer })).toMatchObject({ status: 200, json: { state: 'SIGNED_IN', mfaUsed: true } });
    expect(await signIn({ userName: 'fay', password: PASSWORD, webauthnResponse: answer })).toEqual({ status: 401, json: FAILED });
    // A fresh challenge answered with a counter that did not move (a cloned key).
    const again = await signIn({ userName: 'fay', password: PASSWORD });
    expect(await signIn({ userName: 'fay', password: PASSWORD, webauthnResponse: key.authenticate(again.json['webauthn'], origin(), { advanceCounter: false }) })).toEqual({ status: 401, json: FAILED });
    // An answer for another origin.
    const third = await signIn({ userName: 'fay', password: PASSWORD });
    expect(await signIn({ userName: 'fay', password: PASSWORD, webauthnResponse: key.authenticate(third.json['webauthn'], 'https://phish.example') })).toEqual({ status: 401, json: FAILED });
    offset += 10_000; // past the slow-down three failures earn
    const fourth = await signIn({ userName: 'fay', password: PASSWORD });
    expect(await signIn({ userName: 'fay', password: PASSWORD, webauthnResponse: key.authenticate(fourth.json['webauthn'], origin()) })).toMatchObject({ status: 200 });
  });

  it('DeactivateMFADevice removes the key', async () => {
    await iam().send(new DeactivateMFADeviceCommand({ UserName: 'fay', SerialNumber: serial }));
    expect((await iam().send(new ListMFADevicesCommand({ UserName: 'fay' }))).MFADevices).toEqual([]);
    expect(await signIn({ userName: 'fay', password: PASSWORD })).toMatchObject({ status: 200, json: { state: 'SIGNED_IN', mfaUsed: false } });
  });
});

describe('security keys with --console-origin', () => {
  const ORIGIN = 'https://iam.castellan.test';
  let named: TestCastellan;
  const key = new SoftwareAuthenticator();
  beforeAll(async () => {
    named = await startTestCastellan({ consoleOrigin: ORIGIN });
    const admin = new IAMClient({ endpoint: named.url, region: 'us-east-1', credentials: named.root, maxAttempts: 1 });
    await admin.send(new CreateUserCommand({ UserName: 'hal' }));
    await admin.send(new CreateLoginProfileCommand({ UserName: 'hal', Password: PASSWORD }));
    await admin.send(new PutUserPolicyCommand({
      UserName: 'hal', PolicyName: 'own-mfa',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice'], Resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/hal` }] }),
    }));
  });
  afterAll(() => named?.dispose());

  it('takes the relying party and origin from the setting, not the request\'s Host, and refuses an answer for another origin', async () => {
    const { json, cookie } = await signIn({ userName: 'hal', password: PASSWORD }, named.url);
    const headers = { cookie: cookie!, 'x-castellan-csrf': json['csrfToken'] as string };
    const register = async (origin: string) => {
      const options = await post('/console-api/webauthn/registration-options', {}, headers, named.url);
      expect(options).toMatchObject({ status: 200, json: { options: { rp: { id: 'iam.castellan.test' } } } });
      return post('/console-api/webauthn/register', { deviceName: 'hal-key', response: key.register(options.json['options'], origin) }, headers, named.url);
    };
    // Signed for the origin the request was sent to (what the Host-derived site would expect): refused.
    expect(await register(named.url)).toMatchObject({ status: 400, json: { error: { code: 'InvalidInput' } } });
    expect(await register(ORIGIN)).toMatchObject({ status: 200, json: { SerialNumber: expect.stringMatching(/:u2f\/user\/hal\//) } });

    const asked = await signIn({ userName: 'hal', password: PASSWORD }, named.url);
    expect(asked).toMatchObject({ status: 401, json: { state: 'MFA_REQUIRED', webauthn: { rpId: 'iam.castellan.test' } } });
    expect(await signIn({ userName: 'hal', password: PASSWORD, webauthnResponse: key.authenticate(asked.json['webauthn'], named.url) }, named.url)).toEqual({ status: 401, json: FAILED });
    const again = await signIn({ userName: 'hal', password: PASSWORD }, named.url);
    expect(await signIn({ userName: 'hal', password: PASSWORD, webauthnResponse: key.authenticate(again.json['webauthn'], ORIGIN) }, named.url)).toMatchObject({ status: 200, json: { state: 'SIGNED_IN', mfaUsed: true } });
  });
});
