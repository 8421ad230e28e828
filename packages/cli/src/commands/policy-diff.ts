/**
 * `castellan policy diff --authorization-details FILE --change CHANGE.json`: which principals
 * gain or lose which actions on which resources if the change is made. Exit code 1 when anything
 * is gained, so it can gate a pull request.
 */
import { Option, type Command } from 'commander';
import { changeProblem, readAuthorizationDetails, whatIf, type PolicyChange, type WhatIfResult } from '@castellan/advisor';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { loadAdvisorCatalog } from './advisor-catalog.js';

interface DiffOptions {
  authorizationDetails: string;
  change: string;
  catalog: boolean;
  format: 'text' | 'json';
  maxEvaluations: string;
}

/** Renders the result as `+`/`-` lines per principal. */
export function renderWhatIf(result: WhatIfResult): string {
  const lines: string[] = [];
  for (const d of result.diffs) {
    lines.push(d.principal);
    const sorted = (l: readonly { action: string; resource: string }[]) => [...l].sort((a, b) => a.action.localeCompare(b.action) || a.resource.localeCompare(b.resource));
    for (const g of sorted(d.gained)) lines.push(`  + ${g.action} on ${g.resource}`);
    for (const l of sorted(d.lost)) lines.push(`  - ${l.action} on ${l.resource}`);
  }
  const gained = result.diffs.reduce((n, d) => n + d.gained.length, 0);
  const lost = result.diffs.reduce((n, d) => n + d.lost.length, 0);
  lines.push(`${result.diffs.length} principal${result.diffs.length === 1 ? '' : 's'} affected: ${gained} gained, ${lost} lost (${result.evaluated} requests evaluated${result.truncated ? ', stopped at the bound: the list may be incomplete' : ''})`);
  return lines.join('\n');
}

/** Registers `diff` under the `policy` command. */
export function registerPolicyDiff(policy: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  policy
    .command('diff')
    .description('what-if: who gains or loses which access if a policy, attachment, boundary or trust policy changes; exit 1 when anything is gained')
    .requiredOption('--authorization-details <file>', 'the output of `aws iam get-account-authorization-details`')
    .requiredOption('--change <file>', 'the change(s): a JSON object or array, see the README')
    .option('--no-catalog', "evaluate only the actions the policies name (without AWS's catalogue)")
    .option('--max-evaluations <n>', 'stop after this many evaluations', '200000')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: DiffOptions) => {
      let details: unknown;
      let changeValue: unknown;
      try {
        details = JSON.parse(await io.readFile(opts.authorizationDetails));
        changeValue = JSON.parse(await io.readFile(opts.change));
      } catch (e) {
        io.err(`castellan: ${(e as Error).message}`);
        return setExitCode(ExitCode.Error);
      }
      const account = readAuthorizationDetails(details);
      if (!account) {
        io.err(`castellan: \`${opts.authorizationDetails}\` is not the output of get-account-authorization-details`);
        return setExitCode(ExitCode.Error);
      }
      const list = Array.isArray(changeValue) ? changeValue : typeof changeValue === 'object' && changeValue !== null && Array.isArray((changeValue as { changes?: unknown }).changes) ? (changeValue as { changes: unknown[] }).changes : [changeValue];
      const problems = list.map((c, i) => [i, changeProblem(c)] as const).filter(([, p]) => p !== undefined);
      if (problems.length > 0) {
        for (const [i, p] of problems) io.err(`castellan: change ${i}: ${p}`);
        return setExitCode(ExitCode.Error);
      }
      const max = Number(opts.maxEvaluations);
      if (!Number.isInteger(max) || max <= 0) {
        io.err('castellan: --max-evaluations must be a positive integer');
        return setExitCode(ExitCode.Usage);
      }
      const catalog = opts.catalog ? await loadAdvisorCatalog(await io.loadCatalog()) : undefined;
      const result = whatIf(account, list as PolicyChange[], { now: io.now(), maxEvaluations: max, ...(catalog ? { catalog } : {}) });
      for (const w of result.warnings) io.err(`castellan: ${w}`);
      io.out(opts.format === 'json' ? JSON.stringify(result, null, 2) : renderWhatIf(result));
      setExitCode(result.diffs.some((d) => d.gained.length > 0) ? ExitCode.Failure : ExitCode.Ok);
    });
}
