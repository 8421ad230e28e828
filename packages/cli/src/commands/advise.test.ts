import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdvisorReport } from '@castellan/advisor';
import { run } from '../main.js';
import { ExitCode } from '../exit-codes.js';
import { memoryIo } from './test-cli-io.js';
import {
  ACCOUNT_SUMMARY,
  NOW,
  authorizationDetailsJson,
  baselineAccount,
  baselineReportRows,
  credentialReportCsv,
  credentialReportResponse,
  trailRecord,
} from '../../../advisor/src/test-fixtures/test-account.js';

let dir: string;
const NOW_ARG = ['--now', NOW.toISOString()];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castellan-advise-'));
  const rows = baselineReportRows();
  rows[2]!.mfa = false; // bob signs in without MFA
  await writeFile(join(dir, 'authorization-details.json'), JSON.stringify(authorizationDetailsJson(baselineAccount()), null, 2));
  await writeFile(join(dir, 'credential-report.json'), JSON.stringify(credentialReportResponse(credentialReportCsv(rows))));
  // `aws iam get-account-password-policy > password-policy.txt 2>&1` on an account without one.
  await writeFile(join(dir, 'password-policy.txt'), '\nAn error occurred (NoSuchEntity) when calling the GetAccountPasswordPolicy operation: The Password Policy with domain name 111122223333 cannot be found.\n');
  await writeFile(join(dir, 'summary.json'), JSON.stringify(ACCOUNT_SUMMARY));
  await mkdir(join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'eu-west-1', '2026', '05', '31'), { recursive: true });
  await writeFile(join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'eu-west-1', '2026', '05', '31', '111122223333_CloudTrail_eu-west-1_20260531T1200Z_abc.json.gz'), gzipSync(JSON.stringify({ Records: [trailRecord()] })));
  // The digest files beside the logs (a synced AWSLogs/ has them) are skipped without a word.
  const digests = join(dir, 'AWSLogs', '111122223333', 'CloudTrail-Digest', 'eu-west-1', '2026', '05', '31');
  await mkdir(digests, { recursive: true });
  await writeFile(join(digests, '111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20260531T130000Z.json.gz'), gzipSync(JSON.stringify({ awsAccountId: '111122223333', logFiles: [] })));
  await writeFile(join(digests, '111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20260531T130000Z.json.gz.sig'), 'ab12');
  await writeFile(join(dir, 'notes.md'), '# not an export');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('castellan advise --offline', () => {
  it('reads every kind of export by its content, gzipped CloudTrail included', async () => {
    const io = memoryIo({});
    expect(await run(['advise', '--offline', dir, '--format', 'json', ...NOW_ARG], io)).toBe(ExitCode.Ok);
    const report = JSON.parse(io.stdout.join('\n')) as AdvisorReport;
    expect(report.inputs).toEqual(['authorization-details', 'credential-report', 'password-policy', 'account-summary', 'cloudtrail']);
    expect(report.practices.flatMap((p) => p.findings).map((f) => f.checkId).sort()).toEqual(['console-user-mfa', 'password-policy']);
    expect(report.practices.every((p) => p.assessed)).toBe(true);
    expect(io.stderr).toEqual([`castellan: ignored \`${join(dir, 'notes.md')}\`: not an export the advisor reads`]);
  });

  it('exits 1 with --fail-on when a finding is that severe, and 0 below it', async () => {
    expect(await run(['advise', '--offline', dir, '--fail-on', 'high', ...NOW_ARG], memoryIo({}))).toBe(ExitCode.Failure);
    expect(await run(['advise', '--offline', dir, '--fail-on', 'critical', ...NOW_ARG], memoryIo({}))).toBe(ExitCode.Ok);
  });

  it('writes SARIF whose locations name the file each finding comes from', async () => {
    const io = memoryIo({});
    await run(['advise', '--offline', dir, '--format', 'sarif', ...NOW_ARG], io);
    const sarif = JSON.parse(io.stdout.join('\n')) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    const uri = (id: string) => sarif.runs[0]!.results.find((r) => r.ruleId === id)!.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(uri('console-user-mfa')).toBe(join(dir, 'credential-report.json'));
    expect(uri('password-policy')).toBe(join(dir, 'password-policy.txt'));
  });

  it('writes a table and an HTML page', async () => {
    const table = memoryIo({});
    await run(['advise', '--offline', dir, ...NOW_ARG], table);
    expect(table.stdout.join('\n')).toContain('[HIGH] The account has no password policy [CIS 1.8, prowler:iam_password_policy_minimum_length_14]');
    const html = memoryIo({});
    await run(['advise', '--offline', dir, '--format', 'html', ...NOW_ARG], html);
    expect(html.stdout.join('\n')).toContain('<svg');
  });

  it('reports what a single file cannot show as not assessed', async () => {
    const io = memoryIo({});
    await run(['advise', '--offline', join(dir, 'credential-report.json'), '--format', 'json', ...NOW_ARG], io);
    const report = JSON.parse(io.stdout.join('\n')) as AdvisorReport;
    expect(report.practices.filter((p) => !p.assessed).map((p) => p.number)).toEqual([2, 3, 4, 5, 6, 10, 11]);
  });

  it.each([[[] as string[]], [['--offline', 'x', '--endpoint-url', 'http://127.0.0.1:1']]])('needs exactly one of --endpoint-url/--live and --offline (%j)', async (args) => {
    const io = memoryIo({});
    expect(await run(['advise', ...args], io)).toBe(ExitCode.Usage);
    expect(io.stderr.join('\n')).toContain('needs either --endpoint-url URL (or --live) or --offline DIR');
  });
});
