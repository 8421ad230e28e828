/**
 * The `castellan` command: parses arguments and dispatches to one file per command
 * (`commands/<noun>-<verb>.ts`). Each command registers itself on the program it is given.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import type { ServiceCatalog } from '@castellan/policy';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './commands/cli-io.js';
import { registerAccountCommands } from './commands/account-command.js';
import { registerRootCommands } from './commands/root-command.js';
import { registerPolicyValidate } from './commands/policy-validate.js';
import { registerPolicyTest } from './commands/policy-test.js';
import { registerServe } from './commands/serve.js';
import { registerTrailCommands } from './commands/trail-command.js';
import { registerAdvise } from './commands/advise.js';
import { registerPolicyLint } from './commands/policy-lint.js';
import { registerPolicyGenerate } from './commands/policy-generate.js';
import { registerPolicyDiff } from './commands/policy-diff.js';
import { registerKeysRotate } from './commands/keys-rotate.js';
import { registerCredentialsPrune } from './commands/credentials-prune.js';
import { registerWorkloadCommands } from './commands/workload-command.js';
import { registerAgent } from './commands/agent-command.js';

/** This package's version (`packages/cli/package.json`, one folder up from both `src/` and `dist/`). */
const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** Builds the program; `io` carries the outside world so tests can run commands in-process. */
export function buildProgram(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('castellan')
    .description('Castellan: a self-hostable AWS IAM, STS and CloudTrail compatible service that enforces the policies it stores')
    .version(VERSION, '-V, --version', 'print the version of castellan')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  const policy = program.command('policy').description('validate, test, lint, generate and diff IAM policies offline').exitOverride();
  registerPolicyValidate(policy, io, setExitCode);
  registerPolicyTest(policy, io, setExitCode);
  registerPolicyLint(policy, io, setExitCode);
  registerPolicyGenerate(policy, io, setExitCode);
  registerPolicyDiff(policy, io, setExitCode);
  registerServe(program, io, setExitCode);
  registerTrailCommands(program, io, setExitCode);
  registerAdvise(program, io, setExitCode);
  const keys = program.command('keys').description("manage IAM users' access keys on a running server").exitOverride();
  registerKeysRotate(keys, io, setExitCode);
  registerAccountCommands(program, io, setExitCode);
  registerRootCommands(program, io, setExitCode);
  registerWorkloadCommands(program, io, setExitCode);
  registerAgent(program, io, setExitCode);
  const credentials = program.command('credentials').description("find and retire IAM users' unused credentials on a running server").exitOverride();
  registerCredentialsPrune(credentials, io, setExitCode);
  return program;
}

/** Runs the command line and resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successful exits; anything else is a usage error.
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    io.err(`castellan: ${(e as Error).stack ?? String(e)}`);
    return ExitCode.Error;
  }
  return exitCode;
}

/** The process's own I/O. */
const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readFile: (path) => readFile(path, 'utf8'),
  loadCatalog: async (): Promise<ServiceCatalog> => {
    const { loadIamDataCatalog } = await import('@castellan/server/catalog');
    return loadIamDataCatalog();
  },
  now: () => new Date(),
  ...(process.stdin.isTTY ? { confirm: askYesNo } : {}),
};

/** Reads one answer from the terminal: `y` or `yes` is yes. */
async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

// Run only when executed as the program (bin/castellan.js imports this file), not when imported by tests.
if (process.argv[1] && /castellan(\.js)?$|main\.js$/.test(process.argv[1])) {
  process.exitCode = await run(process.argv.slice(2), processIo);
}
