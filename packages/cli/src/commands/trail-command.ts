/**
 * The `castellan trail` command group: `verify`, `export`, `public-key`.
 */
import type { Command } from 'commander';
import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { registerTrailExport } from './trail-export.js';
import { registerTrailPublicKey } from './trail-public-key.js';
import { registerTrailVerify, type TrailEnv } from './trail-verify.js';

/** What `trail --help` says after the commands. */
export const TRAIL_HELP = `
Every request the server answers is one CloudTrail record in its database, hash-chained to the one
before. The server exports new records every --trail-export-minutes (default 5) and on shutdown;
\`trail export\` does the same on demand (it waits for, never races, the server's own export).

Export folder (default <data-dir>/trail), CloudTrail's layout:
  AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz
      log files: {"Records": [...]}, as CloudTrail delivers them
  AWSLogs/ACCOUNT/CloudTrail-Digest/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail-Digest_REGION_castellan_HOMEREGION_YYYYMMDDTHHmmssZ.json.gz
      digest files: the log files of each export with their SHA-256, chained to the previous digest;
      HOMEREGION is the trail's home region, the server's --region (\`trail export --region\`,
      default $CASTELLAN_REGION, else us-east-1)
  ….json.gz.sig
      each digest's hex Ed25519 signature (CloudTrail keeps it in the S3 object's
      x-amz-meta-signature metadata; copy it there when syncing to S3)

Digests are signed with Ed25519, not CloudTrail's RSA: \`aws cloudtrail validate-logs\` cannot check
them; \`castellan trail verify\` does. The public key is \`trail public-key\`'s output and what
\`aws cloudtrail list-public-keys\` returns. Run \`castellan trail <command> --help\` for each command.
`;

/** Adds `trail` and its subcommands to the program. `env` defaults to the process's. */
export function registerTrailCommands(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void, env: TrailEnv = { progress: process.stderr, env: process.env }): void {
  const trail = program
    .command('trail')
    .description('export and verify the audit trail (CloudTrail format, hash-chained, signed digests)')
    .addHelpText('after', TRAIL_HELP)
    .exitOverride();
  registerTrailVerify(trail, io, setExitCode, env);
  registerTrailExport(trail, io, setExitCode, env);
  registerTrailPublicKey(trail, io, setExitCode, env);
}
