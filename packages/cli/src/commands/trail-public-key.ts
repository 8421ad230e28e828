/**
 * `castellan trail public-key [--data-dir]`: prints the public key that verifies digest files (PEM)
 * and its fingerprint, as digests name it. The server creates the key pair on its first start; a
 * data folder without one is an error (printing a fresh key would verify nothing).
 * The same key is served by CloudTrail's `ListPublicKeys`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadOrCreateSigningKey, SIGNING_KEY_FILE } from '@castellan/server/audit';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { resolveLocation } from './trail-options.js';
import type { TrailEnv } from './trail-verify.js';

/** Registers `public-key` under the `trail` command. */
export function registerTrailPublicKey(trail: Command, io: CliIo, setExitCode: (code: ExitCode) => void, env: TrailEnv): void {
  trail
    .command('public-key')
    .description('print the Ed25519 public key (PEM) that verifies digest files, and its fingerprint')
    .option('--data-dir <dir>', 'the server\'s data folder; default $CASTELLAN_DATA_DIR or ./data')
    .action(async (opts: { dataDir?: string }) => {
      try {
        const { dataDir } = resolveLocation(opts, env.env);
        if (!existsSync(join(dataDir, SIGNING_KEY_FILE))) {
          throw new Error(`no trail signing key in \`${dataDir}\` (\`${SIGNING_KEY_FILE}\` is missing; the server creates it on its first start): give the server's --data-dir`);
        }
        const key = await loadOrCreateSigningKey(dataDir);
        io.out((key.publicKey.export({ type: 'spki', format: 'pem' }) as string).trimEnd());
        io.out(`fingerprint: ${key.fingerprint}`);
        setExitCode(ExitCode.Ok);
      } catch (err) {
        io.err(`castellan trail public-key: ${(err as Error).message}`);
        setExitCode(ExitCode.Error);
      }
    });
}
