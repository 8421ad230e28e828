/**
 * `castellan policy lint FILE.json`: Access Analyzer-style findings (ERROR, SECURITY_WARNING,
 * WARNING, SUGGESTION) with their place in the file. Exit code 1 on ERROR, and on
 * SECURITY_WARNING with --fail-on-security-warning.
 */
import { Option, type Command } from 'commander';
import type { PolicyKind } from '@castellan/policy';
import { lintPolicy, type LintFinding } from '@castellan/advisor';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { loadAdvisorCatalog } from './advisor-catalog.js';

function line(file: string, f: LintFinding): string {
  const where = f.span ? `${file}:${f.span.start.line}:${f.span.start.column}` : file;
  return `${where}: ${f.findingType}: ${f.message}${f.path ? ` [${f.path}]` : ''} (${f.issueCode})`;
}

interface LintOptions {
  kind: PolicyKind;
  catalog: boolean;
  format: 'text' | 'json';
  failOnSecurityWarning?: boolean;
}

/** Registers `lint` under the `policy` command. */
export function registerPolicyLint(policy: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  policy
    .command('lint')
    .description('lint an IAM policy the way Access Analyzer validates one: errors, security warnings, warnings, suggestions')
    .argument('<file>', 'the policy JSON file')
    .addOption(new Option('--kind <kind>', 'where the policy is attached').choices(['identity', 'resource', 'trust', 'boundary', 'scp', 'session']).default('identity'))
    .option('--no-catalog', "skip the checks against AWS's service catalogue")
    .option('--fail-on-security-warning', 'exit 1 on SECURITY_WARNING findings too')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file: string, opts: LintOptions) => {
      let text: string;
      try {
        text = await io.readFile(file);
      } catch (e) {
        io.err(`castellan: cannot read \`${file}\`: ${(e as Error).message}`);
        setExitCode(ExitCode.Error);
        return;
      }
      const catalog = opts.catalog ? await loadAdvisorCatalog(await io.loadCatalog()) : undefined;
      const findings = lintPolicy(text, { kind: opts.kind, ...(catalog ? { catalog } : {}) });
      if (opts.format === 'json') io.out(JSON.stringify({ file, kind: opts.kind, findings }, null, 2));
      else {
        for (const f of findings) io.out(line(file, f));
        const count = (t: LintFinding['findingType'], name: string) => {
          const n = findings.filter((f) => f.findingType === t).length;
          return `${n} ${name}${n === 1 ? '' : 's'}`;
        };
        io.out(`${file}: ${count('ERROR', 'error')}, ${count('SECURITY_WARNING', 'security warning')}, ${count('WARNING', 'warning')}, ${count('SUGGESTION', 'suggestion')}`);
      }
      const failing = findings.some((f) => f.findingType === 'ERROR' || (opts.failOnSecurityWarning && f.findingType === 'SECURITY_WARNING'));
      setExitCode(failing ? ExitCode.Failure : ExitCode.Ok);
    });
}
