/**
 * The `castellan root` command group: `set-password` sets the console password of an account's
 * root user (sign-in user name `root`). The password is read from standard input, never from the
 * command line, where it would land in shell history and process listings (on a terminal it is
 * typed twice, not echoed). Like `castellan account`, it works on the data folder or database directly.
 */
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import { withAdmin, withLocation, type AccountEnv, type LocationOptions } from './account-command.js';
import type { CliIo } from './cli-io.js';
import { readNewPassword } from './read-password.js';

/** Reads the new password (standard input's line, or typed twice without echo on a terminal). */
export type ReadStdin = () => Promise<string>;

/** Adds `root set-password` to the program. `env` and `readStdin` default to the process's. */
export function registerRootCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
  env: AccountEnv = { env: process.env },
  readStdin: ReadStdin = () => readNewPassword(process.stdin, process.stderr, 'root password'),
): void {
  const root = program.command('root').description('manage the root user of a hosted account').exitOverride();

  withLocation(root.command('set-password'))
    .description('set the root user\'s console password, read from standard input or, on a terminal, typed twice without echo (sign in with user name `root`)')
    .option('--account-id <id>', 'the account (default: the one bootstrap made)')
    .action(async (opts: LocationOptions & { accountId?: string }) => {
      try {
        // One line: the trailing newline of `echo` or a here-string is not part of the password.
        const password = (await readStdin()).replace(/\r?\n$/, '');
        if (password === '') throw new Error('no password on standard input');
        const accountId = await withAdmin(opts, env, (admin) => admin.setRootPassword({ accountId: opts.accountId, password }));
        io.out(opts.json ? JSON.stringify({ AccountId: accountId }) : `root password of account ${accountId} set`);
        setExitCode(ExitCode.Ok);
      } catch (err) {
        io.err(`castellan root set-password: ${(err as Error).message}`);
        setExitCode(ExitCode.Error);
      }
    });
}
