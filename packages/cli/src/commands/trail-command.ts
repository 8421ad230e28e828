/**
 * The `castellan trail` command group: `verify`, `export`, `public-key`.
 */
import type { Command } from 'commander';
import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { registerTrailExport } from './trail-export.js';
import { registerTrailPublicKey } from './trail-public-key.js';
import { registerTrailVerify, type TrailEnv } from './trail-verify.js';

/** Adds `trail` and its subcommands to the program. `env` defaults to the process's. */
export function registerTrailCommands(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void, env: TrailEnv = { progress: process.stderr, env: process.env }): void {
  const trail = program.command('trail').description('export and verify the audit trail (CloudTrail format, hash-chained, signed digests)').exitOverride();
  registerTrailVerify(trail, io, setExitCode, env);
  registerTrailExport(trail, io, setExitCode, env);
  registerTrailPublicKey(trail, io, setExitCode, env);
}
