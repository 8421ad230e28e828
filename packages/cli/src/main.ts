/**
 * The `castellan` command: parses arguments and dispatches to one file per command
 * (`commands/<noun>-<verb>.ts`). Each command registers itself on the program it is given.
 */
import { readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import type { ServiceCatalog } from '@castellan/policy';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './commands/cli-io.js';
import { registerAccountCommands } from './commands/account-command.js';
import { registerPolicyValidate } from './commands/policy-validate.js';
import { registerPolicyTest } from './commands/policy-test.js';
import { registerServe } from './commands/serve.js';
import { registerTrailCommands } from './commands/trail-command.js';

/** Builds the program; `io` carries the outside world so tests can run commands in-process. */
export function buildProgram(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('castellan')
    .description('Castellan: a self-hostable AWS IAM, STS and CloudTrail compatible service that enforces the policies it stores')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  const policy = program.command('policy').description('validate and test IAM policies offline').exitOverride();
  registerPolicyValidate(policy, io, setExitCode);
  registerPolicyTest(policy, io, setExitCode);
  registerServe(program, io, setExitCode);
  registerTrailCommands(program, io, setExitCode);
  registerAccountCommands(program, io, setExitCode);
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
};

// Run only when executed as the program (bin/castellan.js imports this file), not when imported by tests.
if (process.argv[1] && /castellan(\.js)?$|main\.js$/.test(process.argv[1])) {
  process.exitCode = await run(process.argv.slice(2), processIo);
}
