/**
 * Root's MFA through the `castellan` binary: `root enable-mfa` shows the device's otpauth:// URI
 * (and a QR code) once, reads two consecutive codes (computed here with otplib from the URI's
 * secret) and enables it; console sign-in as root then asks for a code; GetAccountSummary and the
 * advisor's `root-mfa` check see it; the trail records CreateVirtualMFADevice and EnableMFADevice
 * with root as the caller and the codes hidden. Bad codes leave root without MFA;
 * `root deactivate-mfa` removes the device. On the e2e project's dialect (both run it): the binary is
 * given the server's data folder, and its PostgreSQL schema when it has one.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCastellan } from './helpers/castellan-api.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { E2E_POSTGRES_URL } from './helpers/postgres.js';

const CLI = join(process.cwd(), 'packages/cli/bin/castellan.js');
const PASSWORD = 'R00t-Console-Passw0rd!mfa';
const SERIAL = `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/root-account-mfa-device`;

let t: TestCastellan;

/** The store options that point the binary at the test server's store. */
const where = (): string[] => ['--data-dir', t.config.dataDir, ...(t.postgresSchema ? ['--database-url', E2E_POSTGRES_URL, '--schema', t.postgresSchema] : [])];

interface Run { code: number | null; stdout: string; stderr: string }

/**
 * Runs `castellan …args`; `answer` sees each line of its standard output and may return the lines
 * to write to its standard input (then closed).
 */
function castellan(args: string[], answer: (line: string) => string[] | undefined = () => undefined, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CASTELLAN_MASTER_KEY: '' } });
    let stdout = '';
    let stderr = '';
    const answering = (line: string) => {
      const lines = answer(line);
      if (lines) child.stdin.end(lines.map((l) => `${l}\n`).join(''));
    };
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr += `${line}\n`;
      answering(line);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`;
      answering(line);
    });
    if (stdin !== undefined) child.stdin.end(stdin);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A TOTP code of `seed` for the step `steps` from now. */
const totp = (seed: string, steps = 0) => authenticator.clone({ epoch: (Math.floor(Date.now() / 30_000) + steps) * 30_000 }).generate(seed);
const secretOf = (uri: string) => new URL(uri).searchParams.get('secret')!;

/** Runs `root enable-mfa`, answering the URI with `codes(seed)`; returns the run and the seed. */
async function enableMfa(codes: (seed: string) => string[], flags: string[] = []): Promise<Run & { seed?: string }> {
  let seed: string | undefined;
  const run = await castellan(['root', 'enable-mfa', ...where(), ...flags], (line) => {
    if (!line.startsWith('otpauth://')) return undefined;
    seed = secretOf(line);
    return codes(seed);
  });
  return { ...run, ...(seed ? { seed } : {}) };
}

async function signIn(fields: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${t.url}/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: E2E_ACCOUNT_ID, userName: 'root', password: PASSWORD, ...fields }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const accountMfa = async () => (await t.iam().send(new GetAccountSummaryCommand({}))).SummaryMap!['AccountMFAEnabled'];
const rootMfaFinding = async () => {
  const res = await callCastellan(t.url, t.root, 'GetBestPracticesReport');
  const body = res.body as { Practices: { Findings: { CheckId: string; Fix: { Description?: string } }[] }[] };
  return body.Practices.flatMap((p) => p.Findings).find((f) => f.CheckId === 'root-mfa');
};

/** The trail's records of `eventName` by root, newest first, once `count` are there. */
async function rootEvents(eventName: string, count: number): Promise<Array<Record<string, any>>> {
  let found: Array<Record<string, any>> = [];
  for (let i = 0; i < 50 && found.length < count; i++) {
    found = ((await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }))).Events ?? [])
      .map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>)
      .filter((r) => r['userIdentity']?.type === 'Root' && r['userAgent'] === 'castellan-cli');
    if (found.length < count) await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

beforeAll(async () => {
  t = await startTestCastellan();
  const set = await castellan(['root', 'set-password', ...where()], undefined, `${PASSWORD}\n`);
  expect(set, set.stderr).toMatchObject({ code: 0 });
});
afterAll(() => t?.dispose());

describe('castellan root enable-mfa / deactivate-mfa', () => {
  it('starts without MFA: root signs in with its password alone, and the advisor names the real fix', async () => {
    expect(await signIn({})).toMatchObject({ status: 200, json: { state: 'SIGNED_IN', mfaUsed: false } });
    expect(await accountMfa()).toBe(0);
    expect((await rootMfaFinding())?.Fix.Description).toContain('castellan root enable-mfa');
  });

  it('refuses codes that are not two consecutive ones of the device, and root stays without MFA', async () => {
    const run = await enableMfa((seed) => [totp(seed, -1), totp(seed, -1)]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('castellan root enable-mfa:');
    expect(run.stderr).toMatch(/[Aa]uthentication code/);
    expect(await accountMfa()).toBe(0);
    const [failed] = await rootEvents('EnableMFADevice', 1);
    expect(failed).toMatchObject({ errorCode: 'InvalidAuthenticationCode', requestParameters: { serialNumber: SERIAL, authenticationCode1: 'HIDDEN_DUE_TO_SECURITY_REASONS' } });
  });

  it('enables a device from its URI with two consecutive codes; sign-in then asks for a code', async () => {
    const run = await enableMfa((seed) => [totp(seed, -2), totp(seed, -1)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`MFA device ${SERIAL} enabled for root of account ${E2E_ACCOUNT_ID}`);
    // The QR code is drawn in the terminal (block characters) above the URI.
    expect(run.stdout).toMatch(/[█▀▄]/);
    expect(await signIn({})).toEqual({ status: 401, json: { state: 'MFA_REQUIRED' } });
    expect(await signIn({ mfaCode: totp(run.seed!) })).toMatchObject({ status: 200, json: { state: 'SIGNED_IN', mfaUsed: true } });
    expect(await accountMfa()).toBe(1);
    expect(await rootMfaFinding()).toBeUndefined();
  });

  it('records the enrolment in the trail with root as the caller and the codes hidden', async () => {
    const [created] = await rootEvents('CreateVirtualMFADevice', 2);
    expect(created).toMatchObject({ eventSource: 'iam.amazonaws.com', userIdentity: { type: 'Root', arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, requestParameters: { virtualMFADeviceName: 'root-account-mfa-device' } });
    const enabled = (await rootEvents('EnableMFADevice', 2)).find((r) => r['errorCode'] === undefined);
    expect(enabled).toMatchObject({ requestParameters: { serialNumber: SERIAL, authenticationCode1: 'HIDDEN_DUE_TO_SECURITY_REASONS', authenticationCode2: 'HIDDEN_DUE_TO_SECURITY_REASONS' } });
    expect(JSON.stringify(enabled)).not.toMatch(/secret=|[A-Z2-7]{64}/);
  });

  it('refuses a second device while root has one', async () => {
    const run = await enableMfa(() => ['000000', '000000']);
    expect(run).toMatchObject({ code: 3 });
    expect(run.stderr).toContain('already has an MFA device');
  });

  it('deactivate-mfa removes the device: sign-in needs the password alone again', async () => {
    const run = await castellan(['root', 'deactivate-mfa', ...where()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`MFA device ${SERIAL} of root of account ${E2E_ACCOUNT_ID} deactivated and deleted`);
    expect(await signIn({})).toMatchObject({ status: 200, json: { state: 'SIGNED_IN', mfaUsed: false } });
    expect(await accountMfa()).toBe(0);
    expect(await rootEvents('DeactivateMFADevice', 1)).toEqual([expect.objectContaining({ requestParameters: { serialNumber: SERIAL } })]);
    expect((await castellan(['root', 'deactivate-mfa', ...where()])).stdout).toContain('has no MFA device');
  });

  it('with --json prints one JSON answer on standard output, the enrolment (QR code, URI) on standard error', async () => {
    const run = await enableMfa((seed) => [totp(seed, -2), totp(seed, -1)], ['--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ AccountId: E2E_ACCOUNT_ID, SerialNumber: SERIAL });
    expect(run.stderr).toContain('otpauth://');
    expect((await castellan(['root', 'deactivate-mfa', ...where()])).code).toBe(0);
  });
});
