/**
 * `castellan advise --offline DIR`: AWS's eleven IAM best practices checked over files an AWS
 * user can produce today (authorization details, credential report, password policy, account
 * summary, CloudTrail logs). Any may be missing; what they would show is reported as not assessed.
 * `castellan advise --endpoint-url URL` (or with AWS's own endpoints: `--live`) fetches the same
 * documents through the IAM and CloudTrail APIs with the AWS default credential chain (advise-live.ts).
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { Option, type Command } from 'commander';
import {
  advise,
  isNoPasswordPolicyText,
  readAccountSummary,
  readAuthorizationDetails,
  readCredentialReportCsv,
  readCredentialReportResponse,
  readPasswordPolicy,
  readTrailRecords,
  readLookupEvents,
  renderHtml,
  renderSarif,
  renderTable,
  type AccountInputs,
  type AdvisorReport,
  type Finding,
  type Severity,
  type TrailRecord,
} from '@castellan/advisor';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { isTrailDigestFile, NODE_ADVISOR_FILES, type AdvisorFiles } from './advisor-files.js';
import { fetchLiveInputs, type LiveClients } from './advise-live.js';

type Format = 'table' | 'json' | 'sarif' | 'html';
type InputKind = 'authorization-details' | 'credential-report' | 'password-policy' | 'account-summary' | 'cloudtrail';

/** The inputs found in a folder, with the file each came from. */
export interface OfflineInputs {
  inputs: AccountInputs;
  files: Partial<Record<InputKind, string>>;
  ignored: string[];
}

/** Recognises each file by its content (names do not matter) and reads it. */
export async function readOfflineInputs(dir: string, files: AdvisorFiles): Promise<OfflineInputs> {
  const found: { -readonly [K in keyof AccountInputs]: AccountInputs[K] } = {};
  const sources: Partial<Record<InputKind, string>> = {};
  const ignored: string[] = [];
  let trail: TrailRecord[] | undefined;
  for (const path of await files.list(dir)) {
    if (isTrailDigestFile(path)) continue;
    const text = await files.readText(path);
    const claim = (kind: InputKind): void => {
      sources[kind] ??= path;
    };
    if (/^\uFEFF?user,arn,/.test(text)) {
      const csv = readCredentialReportCsv(text);
      if (csv) {
        found.credentialReport = csv;
        claim('credential-report');
        continue;
      }
    }
    if (isNoPasswordPolicyText(text)) {
      found.passwordPolicy = { kind: 'none' };
      claim('password-policy');
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ignored.push(path);
      continue;
    }
    const details = readAuthorizationDetails(value);
    const report = details ? undefined : readCredentialReportResponse(value);
    const password = details || report ? undefined : readPasswordPolicy(value);
    const summary = details || report || password ? undefined : readAccountSummary(value);
    const records = details || report || password || summary ? undefined : (readTrailRecords(value) ?? readLookupEvents(value));
    if (details) (found.authorizationDetails = details), claim('authorization-details');
    else if (report) (found.credentialReport = report), claim('credential-report');
    else if (password) (found.passwordPolicy = password), claim('password-policy');
    else if (summary) (found.accountSummary = summary), claim('account-summary');
    else if (records) (trail = [...(trail ?? []), ...records]), claim('cloudtrail');
    else ignored.push(path);
  }
  if (trail) found.trail = trail;
  return { inputs: found, files: sources, ignored };
}

/** The input each check reads, for SARIF locations. */
const CHECK_INPUT: Readonly<Record<string, InputKind>> = {
  'root-access-keys': 'credential-report',
  'root-recent-use': 'credential-report',
  'root-mfa': 'credential-report',
  'console-user-mfa': 'credential-report',
  'access-key-rotation': 'credential-report',
  'two-active-access-keys': 'credential-report',
  'unused-credentials': 'credential-report',
  'password-policy': 'password-policy',
  'audit-trail': 'cloudtrail',
  'workload-long-term-keys': 'cloudtrail',
};

/** Where the live mode's findings come from, as SARIF locations (code scanning wants one per result). */
const LIVE_SOURCES: Readonly<Record<InputKind, string>> = {
  'authorization-details': 'iam/GetAccountAuthorizationDetails',
  'credential-report': 'iam/GetCredentialReport',
  'password-policy': 'iam/GetAccountPasswordPolicy',
  'account-summary': 'iam/GetAccountSummary',
  cloudtrail: 'cloudtrail/LookupEvents',
};

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { low: 1, medium: 2, high: 3, critical: 4 };

/** Renders the report in the format asked for. */
export function renderReport(report: AdvisorReport, format: Format, files: Partial<Record<InputKind, string>>): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2);
    case 'sarif':
      return JSON.stringify(
        renderSarif(report, {
          version: '0.1.0',
          artifactFor: (f: Finding) => files[CHECK_INPUT[f.checkId] ?? 'authorization-details'] ?? files['account-summary'],
        }),
        null,
        2,
      );
    case 'html':
      return renderHtml(report);
    case 'table':
      return renderTable(report);
  }
}

interface AdviseOptions {
  offline?: string;
  live?: boolean;
  endpointUrl?: string;
  region?: string;
  format: Format;
  now?: string;
  failOn?: Severity;
}

/** The region from the default chain (AWS_REGION, the profile), or us-east-1 when it names none. */
async function chainRegion(): Promise<string> {
  const probe = new IAMClient({});
  try {
    return await probe.config.region();
  } catch {
    return 'us-east-1';
  } finally {
    probe.destroy();
  }
}

/** The SDK clients of the live mode: the credential chain, `--endpoint-url` for both services. */
async function defaultLiveClients(opts: { endpointUrl?: string; region?: string }): Promise<LiveClients> {
  const region = opts.region ?? (await chainRegion());
  const endpoint = (service: 'IAM' | 'CLOUDTRAIL'): { endpoint?: string } => {
    const url = opts.endpointUrl ?? process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env['AWS_ENDPOINT_URL'];
    return url ? { endpoint: url } : {};
  };
  return { iam: new IAMClient({ region, ...endpoint('IAM') }), cloudTrail: new CloudTrailClient({ region, ...endpoint('CLOUDTRAIL') }) };
}

/** Registers `castellan advise`. */
export function registerAdvise(
  program: Command,
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
  files: AdvisorFiles = NODE_ADVISOR_FILES,
  liveClients: (opts: { endpointUrl?: string; region?: string }) => Promise<LiveClients> = defaultLiveClients,
): void {
  program
    .command('advise')
    .description("AWS's eleven IAM best practices, checked over a running account (--endpoint-url URL, or --live for AWS) or its exported files (--offline DIR)")
    .option('--endpoint-url <url>', 'check the account of a running server (Castellan) through the IAM and CloudTrail APIs, signed with the AWS default credential chain')
    .option('--live', "check the account through AWS's own endpoints (or $AWS_ENDPOINT_URL), as --endpoint-url does")
    .option('--region <region>', 'the region of the calls; default: the credential chain\'s (AWS_REGION, profile) or us-east-1')
    .option('--offline <dir>', 'a folder (or one file) of `aws iam get-account-authorization-details`, `get-credential-report`, `get-account-password-policy`, `get-account-summary` outputs and CloudTrail log files (.json or .json.gz) or `aws cloudtrail lookup-events` output; see the README for the commands')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif', 'html']).default('table'))
    .option('--now <time>', 'measure ages from this ISO 8601 time instead of the clock')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices(['low', 'medium', 'high', 'critical']))
    .action(async (opts: AdviseOptions) => {
      const live = opts.live === true || opts.endpointUrl !== undefined;
      if (live === (opts.offline !== undefined)) {
        io.err('castellan: `advise` needs either --endpoint-url URL (or --live) or --offline DIR');
        setExitCode(ExitCode.Usage);
        return;
      }
      const now = opts.now ? new Date(opts.now) : io.now();
      if (Number.isNaN(now.getTime())) {
        io.err(`castellan: --now \`${opts.now}\` is not an ISO 8601 time`);
        setExitCode(ExitCode.Usage);
        return;
      }
      let read: OfflineInputs;
      if (live) {
        const clients = await liveClients(opts);
        try {
          const fetched = await fetchLiveInputs(clients, now);
          for (const w of fetched.warnings) io.err(`castellan: ${w}`);
          read = { inputs: fetched.inputs, files: LIVE_SOURCES, ignored: [] };
        } catch (err) {
          const e = err as { name?: string; message?: string };
          io.err(`castellan advise: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(err)}`);
          setExitCode(ExitCode.Error);
          return;
        } finally {
          clients.iam.destroy();
          clients.cloudTrail.destroy();
        }
      } else {
        try {
          read = await readOfflineInputs(opts.offline!, files);
        } catch (e) {
          io.err(`castellan: cannot read \`${opts.offline}\`: ${(e as Error).message}`);
          setExitCode(ExitCode.Error);
          return;
        }
      }
      for (const path of read.ignored) io.err(`castellan: ignored \`${path}\`: not an export the advisor reads`);
      const report = advise(read.inputs, { now });
      io.out(renderReport(report, opts.format, read.files));
      const worst = Math.max(0, ...report.practices.flatMap((p) => p.findings).map((f) => SEVERITY_RANK[f.severity]));
      setExitCode(opts.failOn && worst >= SEVERITY_RANK[opts.failOn] ? ExitCode.Failure : ExitCode.Ok);
    });
}
