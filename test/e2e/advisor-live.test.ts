/**
 * The best-practices advisor against a started server. An account with known faults is built
 * through the API with @aws-sdk/client-iam (root with keys, a console user without MFA, a key
 * created 100 days ago on the server's clock, `*:*` attached to a user, a role trusting `*`, no
 * password policy); then `castellan advise --endpoint-url` (the real binary, the default credential
 * chain) and castellan:GetBestPracticesReport (authorized, audited) must find them, and the same
 * account exported with the AWS CLI v2 as an AWS user would must give the offline mode the same
 * findings.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import type { AdvisorReport, Finding } from '@castellan/advisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../packages/cli/src/exit-codes.js';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { callCastellan } from './helpers/castellan-api.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { AWS_CLI as AWS, awsCliEnv } from './helpers/aws-cli.js';
import { createAccessKey } from './helpers/iam-users.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'packages/cli/bin/castellan.js');
const DAY = 86_400_000;
const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

let offset = 0;
let t: TestCastellan;
let exportDir: string;
let reader: StaticCredentials;

/** The AWS default credential chain as root, nothing from the machine's own files. */
const rootEnv = () => awsCliEnv(t.root);

/** The real `castellan` binary; its exit code and output. */
async function castellan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: rootEnv(), maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The AWS CLI's output (stdout and stderr, as `2>&1` captures them) and whether it failed. */
async function aws(...args: string[]): Promise<{ ok: boolean; text: string }> {
  try {
    const { stdout, stderr } = await run(AWS, ['--endpoint-url', t.url, '--output', 'json', ...args], { env: rootEnv(), maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, text: stdout + stderr };
  } catch (e) {
    const err = e as { stdout: string; stderr: string };
    return { ok: false, text: err.stdout + err.stderr };
  }
}

/** A finding as both modes must agree on it. */
const key = (f: Pick<Finding, 'checkId' | 'severity' | 'entities'>): string => `${f.checkId} ${f.severity} ${f.entities.map((e) => `${e.type}:${e.name}`).join(',')}`;
const findings = (r: AdvisorReport): Finding[] => r.practices.flatMap((p) => p.findings);

beforeAll(async () => {
  t = await startTestCastellan({}, { clock: { now: () => new Date(Date.now() + offset) } });
  exportDir = await mkdtemp(join(tmpdir(), 'castellan-advisor-export-'));
  // 100 days ago on the server's clock (the client signs with the same clock): a key never rotated.
  offset = -100 * DAY;
  // A client per call: the SDK corrects its clock from the response's real-time Date header.
  const past = () => new IAMClient({ endpoint: t.url, region: 'us-east-1', credentials: t.root, maxAttempts: 1, systemClockOffset: offset });
  await past().send(new CreateUserCommand({ UserName: 'legacy-batch' }));
  await past().send(new CreateAccessKeyCommand({ UserName: 'legacy-batch' }));
  offset = 0;
  const iam = t.iam();
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-Battery-9' }));
  await iam.send(new CreateUserCommand({ UserName: 'ops-admin' }));
  const admin = await iam.send(new CreatePolicyCommand({ PolicyName: 'everything', PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'ops-admin', PolicyArn: admin.Policy!.Arn! }));
  await iam.send(new CreateRoleCommand({ RoleName: 'open-door', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }) }));
  // A user who may read IAM but not ask for the report.
  await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
  const readOnly = await iam.send(new CreatePolicyCommand({ PolicyName: 'iam-read', PolicyDocument: doc({ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'auditor', PolicyArn: readOnly.Policy!.Arn! }));
  reader = await createAccessKey(iam, 'auditor');
  // Last-used data is written in batches: wait until root's use is recorded, so the live run and the
  // API operation below read the same credential report whichever runs first.
  for (let i = 0; i < 50; i++) {
    if ((await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: t.root.accessKeyId }))).AccessKeyLastUsed?.LastUsedDate) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  await t?.dispose();
  if (exportDir) await rm(exportDir, { recursive: true, force: true });
});

let live: AdvisorReport;

describe('castellan advise --endpoint-url (the live mode, real binary, default credential chain)', () => {
  it('finds what the account was built with', async () => {
    const out = await castellan('advise', '--endpoint-url', t.url, '--format', 'json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    live = JSON.parse(out.stdout) as AdvisorReport;
    expect(live.accountId).toBe(E2E_ACCOUNT_ID);
    expect(live.inputs).toEqual(['authorization-details', 'credential-report', 'password-policy', 'account-summary', 'cloudtrail']);
    expect(live.practices.every((p) => p.assessed)).toBe(true);
    const found = findings(live).map(key);
    expect(found).toEqual(
      expect.arrayContaining([
        'root-access-keys critical root:<root_account>',
        'console-user-mfa high user:alice',
        'access-key-rotation medium user:legacy-batch',
        'unused-credentials medium user:legacy-batch',
        'full-admin-policy high policy:everything,user:ops-admin',
        'user-attached-policies low user:ops-admin',
        'permissive-role-trust critical role:open-door',
        'password-policy high account:123456789012',
      ]),
    );
    expect(findings(live).find((f) => f.checkId === 'access-key-rotation')!.details).toContain('(100 days ago)');
    // Alice has no keys and the auditor is no administrator: neither appears where they should not.
    expect(found.filter((f) => f.startsWith('full-admin-policy')).join()).not.toContain('auditor');
    expect(live.practices.find((p) => p.number === 5)!.findings).toEqual([]); // the trail is being written
  });

  it('writes the same report as a table, SARIF and HTML, and --fail-on critical exits 1', async () => {
    const table = await castellan('advise', '--endpoint-url', t.url);
    expect(table.stdout).toContain('open-door');
    const sarif = JSON.parse((await castellan('advise', '--endpoint-url', t.url, '--format', 'sarif')).stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uri = (id: string) => sarif.runs[0]!.results.find((r) => r.ruleId === id)!.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(uri('permissive-role-trust')).toBe('iam/GetAccountAuthorizationDetails');
    expect(uri('console-user-mfa')).toBe('iam/GetCredentialReport');
    expect((await castellan('advise', '--endpoint-url', t.url, '--format', 'html')).stdout).toContain('<svg');
    expect((await castellan('advise', '--endpoint-url', t.url, '--fail-on', 'critical')).code).toBe(1);
  });

  it('fails clearly on bad credentials, and leaves out what the caller may not read', async () => {
    const denied = await run(process.execPath, [CLI, 'advise', '--endpoint-url', t.url], { env: { ...rootEnv(), AWS_SECRET_ACCESS_KEY: 'wrong-secret-0123456789abcdefghijklmnopq' } }).catch((e: { code: number; stderr: string }) => e);
    expect(denied).toMatchObject({ code: ExitCode.Error });
    expect((denied as { stderr: string }).stderr).toMatch(/SignatureDoesNotMatch/);
    const partial = await run(process.execPath, [CLI, 'advise', '--endpoint-url', t.url, '--format', 'json'], {
      env: { ...rootEnv(), AWS_ACCESS_KEY_ID: reader.accessKeyId, AWS_SECRET_ACCESS_KEY: reader.secretAccessKey },
    });
    expect(partial.stderr).toContain('cloudtrail:LookupEvents was refused (AccessDeniedException)');
    const report = JSON.parse(partial.stdout) as AdvisorReport;
    expect(report.inputs).not.toContain('cloudtrail');
    expect(report.practices.find((p) => p.number === 5)!.assessed).toBe(false);
  });
});

describe('castellan:GetBestPracticesReport (the API operation)', () => {
  it('answers the findings and scores the live mode found', async () => {
    const res = await callCastellan(t.url, t.root, 'GetBestPracticesReport');
    expect(res.status).toBe(200);
    const body = res.body as { AccountId: string; OverallScore: number; Inputs: string[]; Practices: { Number: number; Score?: number; Findings: Record<string, any>[] }[] };
    expect(body.AccountId).toBe(E2E_ACCOUNT_ID);
    expect(body.Inputs).toEqual(live.inputs);
    expect(body.Practices.map((p) => p.Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // The wire's PascalCase back to the advisor's shape: the same findings, word for word.
    const api = body.Practices.flatMap((p) => p.Findings).map((f): Omit<Finding, 'details'> => ({
      checkId: f['CheckId'],
      practice: f['Practice'],
      severity: f['Severity'],
      title: f['Title'],
      entities: f['Entities'].map((e: Record<string, string>) => ({ type: e['Type'], name: e['Name'], ...(e['Arn'] ? { arn: e['Arn'] } : {}) })),
      why: f['Why'],
      fix: f['Fix']['Kind'] === 'command' ? { kind: 'command', command: f['Fix']['Command'] } : f['Fix']['Kind'] === 'manual' ? { kind: 'manual', description: f['Fix']['Description'] } : { kind: 'policyDiff', description: f['Fix']['Description'], diff: f['Fix']['Diff'] },
      ...(f['Cis'] ? { cis: f['Cis'] } : {}),
      ...(f['Prowler'] ? { prowler: f['Prowler'] } : {}),
    }));
    expect(api).toEqual(findings(live).map(({ details: _details, ...f }) => f));
    expect(body.Practices.map((p) => p.Score)).toEqual(live.practices.map((p) => p.score));
    expect(body.OverallScore).toBe(live.overallScore);
  });

  it('is authorized as castellan:GetBestPracticesReport and audited', async () => {
    const denied = await callCastellan(t.url, reader, 'GetBestPracticesReport');
    expect(denied.status).toBe(400);
    expect(denied.body['__type']).toMatch(/AccessDenied/);
    expect(denied.body['message']).toContain('castellan:GetBestPracticesReport');
    let events: { EventSource?: string; Username?: string }[] = [];
    for (let i = 0; i < 50 && events.length < 2; i++) {
      events = (await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetBestPracticesReport' }] }))).Events ?? [];
      if (events.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.map((e) => e.EventSource)).toEqual(['castellan.amazonaws.com', 'castellan.amazonaws.com']);
    expect(events.map((e) => e.Username).sort()).toEqual(['auditor', 'root']);
  });
});

describe('castellan advise --offline over the account exported with the AWS CLI', () => {
  it('reproduces the live findings', async () => {
    const details = await aws('iam', 'get-account-authorization-details');
    expect(details.ok).toBe(true);
    await writeFile(join(exportDir, 'authorization-details.json'), details.text);
    for (let i = 0; i < 20 && JSON.parse((await aws('iam', 'generate-credential-report')).text).State !== 'COMPLETE'; i++) await new Promise((r) => setTimeout(r, 200));
    await writeFile(join(exportDir, 'credential-report.json'), (await aws('iam', 'get-credential-report')).text);
    const password = await aws('iam', 'get-account-password-policy');
    expect(password).toMatchObject({ ok: false, text: expect.stringContaining('NoSuchEntity') });
    await writeFile(join(exportDir, 'password-policy.txt'), password.text);
    await writeFile(join(exportDir, 'account-summary.json'), (await aws('iam', 'get-account-summary')).text);
    const since = new Date(Date.now() - 90 * DAY).toISOString();
    await writeFile(join(exportDir, 'lookup-events.json'), (await aws('cloudtrail', 'lookup-events', '--start-time', since)).text);

    const out = await castellan('advise', '--offline', exportDir, '--format', 'json');
    expect(out.stderr).toBe('');
    const offline = JSON.parse(out.stdout) as AdvisorReport;
    expect(offline.inputs).toEqual(live.inputs);
    expect(findings(offline).map(key).sort()).toEqual(findings(live).map(key).sort());
    expect(offline.practices.map((p) => [p.number, p.score, p.checksRun])).toEqual(live.practices.map((p) => [p.number, p.score, p.checksRun]));
    // The findings' whole text too (fix commands, CIS and Prowler ids), except the measured facts.
    const strip = (r: AdvisorReport) => findings(r).map(({ details: _details, ...f }) => f);
    expect(strip(offline)).toEqual(strip(live));
  });
});
