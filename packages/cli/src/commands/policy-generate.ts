/**
 * `castellan policy generate --trail FILE|DIR… --principal ARN [--since] [--until] [--current FILE]`:
 * the smallest identity policy covering what the principal did according to CloudTrail, with a
 * diff against its current policy when one is given.
 */
import type { Command } from 'commander';
import { generatePolicy, lineDiff, prettyJson, readTrailRecords, type TrailRecord } from '@castellan/advisor';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { isTrailDigestFile, NODE_ADVISOR_FILES, type AdvisorFiles } from './advisor-files.js';
import { loadAdvisorCatalog } from './advisor-catalog.js';

interface GenerateOptions {
  trail: string[];
  principal: string;
  since?: string;
  until?: string;
  current?: string;
  catalog: boolean;
}

/** Reads every CloudTrail file under the paths given; digest files are skipped, other files named on stderr. */
export async function readTrail(paths: readonly string[], files: AdvisorFiles, io: CliIo): Promise<TrailRecord[]> {
  const records: TrailRecord[] = [];
  for (const root of paths) {
    for (const path of await files.list(root)) {
      if (isTrailDigestFile(path)) continue;
      let value: unknown;
      try {
        value = JSON.parse(await files.readText(path));
      } catch {
        value = undefined;
      }
      const read = readTrailRecords(value);
      if (read) records.push(...read);
      else io.err(`castellan: ignored \`${path}\`: not a CloudTrail log file`);
    }
  }
  return records;
}

function parseTime(text: string | undefined, name: string, io: CliIo): Date | undefined | null {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) {
    io.err(`castellan: ${name} \`${text}\` is not an ISO 8601 time`);
    return null;
  }
  return d;
}

/** Registers `generate` under the `policy` command. */
export function registerPolicyGenerate(policy: Command, io: CliIo, setExitCode: (code: ExitCode) => void, files: AdvisorFiles = NODE_ADVISOR_FILES): void {
  policy
    .command('generate')
    .description('generate the least-privilege policy for what a principal did, from CloudTrail log files')
    .requiredOption('--trail <paths...>', 'CloudTrail log files or folders (.json or .json.gz)')
    .requiredOption('--principal <arn>', 'the IAM user or role ARN')
    .option('--since <time>', 'only calls at or after this ISO 8601 time')
    .option('--until <time>', 'only calls at or before this ISO 8601 time')
    .option('--current <file>', "the principal's current policy: print a diff from it to the generated one")
    .option('--no-catalog', "skip AWS's catalogue (action names and resource types are then taken as recorded)")
    .action(async (opts: GenerateOptions) => {
      const since = parseTime(opts.since, '--since', io);
      const until = parseTime(opts.until, '--until', io);
      if (since === null || until === null) return setExitCode(ExitCode.Usage);
      let records: TrailRecord[];
      let current: unknown;
      try {
        records = await readTrail(opts.trail, files, io);
        if (opts.current) current = JSON.parse(await io.readFile(opts.current));
      } catch (e) {
        io.err(`castellan: ${(e as Error).message}`);
        return setExitCode(ExitCode.Error);
      }
      const catalog = opts.catalog ? await loadAdvisorCatalog(await io.loadCatalog()) : undefined;
      const generated = generatePolicy(records, { principalArn: opts.principal, ...(since ? { since } : {}), ...(until ? { until } : {}), ...(catalog ? { catalog } : {}) });
      for (const s of generated.skipped) io.err(`castellan: left out ${s.event}: ${s.reason}`);
      if (generated.calls.length === 0) {
        io.err(`castellan: no calls by \`${opts.principal}\` in the records given`);
        return setExitCode(ExitCode.Failure);
      }
      io.out(prettyJson(generated.document));
      if (current !== undefined) {
        io.out('');
        io.out(`--- ${opts.current}`);
        io.out('+++ generated');
        io.out(lineDiff(prettyJson(current), prettyJson(generated.document)));
      }
      setExitCode(ExitCode.Ok);
    });
}
