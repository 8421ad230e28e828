/**
 * `castellan policy validate FILE.json [--kind …]`: parse and validate a policy, print every
 * diagnostic, exit 1 on errors. Warnings (unknown services, actions, condition keys) come from
 * AWS's catalogue and do not fail the command.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { parsePolicy, type Diagnostic, type PolicyKind, type PolicySizeClass, type ServiceCatalog } from '@castellan/policy';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';

/** Options of {@link validatePolicyText}. */
export interface ValidateOptions {
  kind: PolicyKind;
  sizeClass?: PolicySizeClass;
  catalog?: ServiceCatalog;
  format?: 'text' | 'json';
}

/** The default size quota for each kind of policy. */
const DEFAULT_SIZE_CLASS: Record<PolicyKind, PolicySizeClass> = {
  identity: 'managed',
  boundary: 'managed',
  trust: 'trust',
  session: 'session',
  resource: 'none',
  scp: 'none',
};

function formatDiagnostic(file: string, d: Diagnostic): string {
  const where = d.position ? `${file}:${d.position.line}:${d.position.column}` : file;
  return `${where}: ${d.severity}: ${d.message}${d.path ? ` [${d.path}]` : ''} (${d.code})`;
}

/** Validates policy text and renders the result; returns the output and the exit code. */
export function validatePolicyText(file: string, text: string, options: ValidateOptions): { output: string; exitCode: ExitCode } {
  const result = parsePolicy(text, {
    kind: options.kind,
    sizeClass: options.sizeClass ?? DEFAULT_SIZE_CLASS[options.kind],
    ...(options.catalog ? { catalog: options.catalog } : {}),
  });
  const diagnostics = result.ok ? result.warnings : result.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const exitCode = result.ok ? ExitCode.Ok : ExitCode.Failure;
  if (options.format === 'json') {
    return { output: JSON.stringify({ file, kind: options.kind, valid: result.ok, diagnostics }, null, 2), exitCode };
  }
  const lines = diagnostics.map((d) => formatDiagnostic(file, d));
  lines.push(result.ok ? `${file}: valid ${options.kind} policy (${warnings} warning${warnings === 1 ? '' : 's'})` : `${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return { output: lines.join('\n'), exitCode };
}

/** Registers `validate` under the `policy` command. */
export function registerPolicyValidate(policy: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  policy
    .command('validate')
    .description('validate an IAM policy document: every error and warning, exit code 1 on errors')
    .argument('<file>', 'the policy JSON file')
    .addOption(new Option('--kind <kind>', 'where the policy is attached').choices(['identity', 'resource', 'trust', 'boundary', 'scp', 'session']).default('identity'))
    .addOption(
      new Option('--size-class <class>', "AWS's size quota to check (default: by kind)").choices(['managed', 'userInline', 'groupInline', 'roleInline', 'trust', 'session', 'none']),
    )
    .option('--no-catalog', "skip the checks against AWS's service catalogue")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file: string, opts: { kind: PolicyKind; sizeClass?: PolicySizeClass; catalog: boolean; format: 'text' | 'json' }) => {
      let text: string;
      try {
        text = await io.readFile(file);
      } catch (e) {
        io.err(`castellan: cannot read \`${file}\`: ${(e as Error).message}`);
        setExitCode(ExitCode.Error);
        return;
      }
      const catalog = opts.catalog ? await io.loadCatalog() : undefined;
      const { output, exitCode } = validatePolicyText(file, text, {
        kind: opts.kind,
        format: opts.format,
        ...(opts.sizeClass ? { sizeClass: opts.sizeClass } : {}),
        ...(catalog ? { catalog } : {}),
      });
      io.out(output);
      setExitCode(exitCode);
    });
}
