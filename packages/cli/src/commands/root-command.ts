/**
 * The `castellan root` command group: `set-password` sets the console password of an account's
 * root user (sign-in user name `root`). The password is read from standard input, never from the
 * command line, where it would land in shell history and process listings (on a terminal it is
 * typed twice, not echoed). `enable-mfa` gives root a virtual MFA device (the QR code and
 * `otpauth://` URI are shown once, then two consecutive codes are read from standard input, one a
 * line) and `deactivate-mfa` removes it: what AWS's root user does on its Security credentials page,
 * recorded in the account's trail as those calls are. `create-access-key` makes root an access key
 * on purpose (bootstrap makes one only at the account's first start), printed once and recorded as
 * root's `CreateAccessKey`. Like `castellan account`, they work on the data folder or database directly.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import QRCode from 'qrcode';
import { StoreAuditLog } from '@castellan/server/audit';
import type { AccountAdminOptions } from '@castellan/server/accounts';
import { ExitCode } from '../exit-codes.js';
import { withAdmin, withLocation, type AccountEnv, type LocationOptions } from './account-command.js';
import type { CliIo } from './cli-io.js';
import { readNewPassword } from './read-password.js';

/** Reads the new password (standard input's line, or typed twice without echo on a terminal). */
export type ReadStdin = () => Promise<string>;

/** Reads two MFA codes, one a line (asked for on standard error). */
export type ReadCodes = () => Promise<[string, string]>;

/** The two codes from standard input's next two lines, each asked for on a terminal. */
export async function readTwoCodes(input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin, prompts: NodeJS.WritableStream = process.stderr): Promise<[string, string]> {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const next = async (question: string): Promise<string> => {
    if (input.isTTY) prompts.write(question);
    const line = await lines.next();
    if (line.done) throw new Error('expected two codes on standard input, one a line');
    return String(line.value).trim();
  };
  try {
    return [await next('First code: '), await next('Next code (wait for it to change): ')];
  } finally {
    rl.close();
  }
}

/** Root's password, MFA and access key changes are recorded in the trail, in the transaction of each change. */
const RECORDED: AccountAdminOptions = {
  auditLog: (store) => new StoreAuditLog({ store, transactionStore: (tx: typeof store) => tx }),
  userAgent: 'castellan-cli',
};

/** Adds the `root` commands to the program. `env`, `readStdin` and `readCodes` default to the process's. */
export function registerRootCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
  env: AccountEnv = { env: process.env },
  readStdin: ReadStdin = () => readNewPassword(process.stdin, process.stderr, 'root password'),
  readCodes: ReadCodes = () => readTwoCodes(),
): void {
  const root = program.command('root').description('manage the root user of a hosted account').exitOverride();
  type RootOptions = LocationOptions & { accountId?: string };
  /** A `root NAME` command on the data folder or database: `run` answers, a failure is one line and exit 1. */
  const command = (name: string, description: string, run: (opts: RootOptions) => Promise<void>) =>
    withLocation(root.command(name))
      .description(description)
      .option('--account-id <id>', 'the account (default: the one bootstrap made)')
      .action(async (opts: RootOptions) => {
        try {
          await run(opts);
          setExitCode(ExitCode.Ok);
        } catch (err) {
          io.err(`castellan root ${name}: ${(err as Error).message}`);
          setExitCode(ExitCode.Error);
        }
      });

  command('set-password', 'set the root user\'s console password, read from standard input or, on a terminal, typed twice without echo (sign in with user name `root`)', async (opts) => {
    // One line: the trailing newline of `echo` or a here-string is not part of the password.
    const password = (await readStdin()).replace(/\r?\n$/, '');
    if (password === '') throw new Error('no password on standard input');
    const accountId = await withAdmin(opts, env, (admin) => admin.setRootPassword({ accountId: opts.accountId, password, now: io.now() }), RECORDED);
    io.out(opts.json ? JSON.stringify({ AccountId: accountId }) : `root password of account ${accountId} set`);
  });

  command('enable-mfa', 'give the root user a virtual MFA device: shows its QR code and otpauth:// URI once, then reads two consecutive codes from standard input, one a line', async (opts) => {
    const enabled = await withAdmin(opts, env, async (admin) => {
      const device = await admin.startRootMfa({ accountId: opts.accountId, now: io.now() });
      // With --json, standard output carries the one JSON answer: the enrolment goes to standard error.
      const show = (text: string) => (opts.json ? io.err(text) : io.out(text));
      show(`Scan this QR code with an authenticator app (or enter the URI's secret by hand); it is shown only now:`);
      show(await QRCode.toString(device.otpauthUri, { type: 'terminal', small: true }));
      show(device.otpauthUri);
      show('Then type two consecutive codes from the app, one a line.');
      const [authenticationCode1, authenticationCode2] = await readCodes();
      await admin.finishRootMfa({ accountId: device.accountId, serialNumber: device.serialNumber, authenticationCode1, authenticationCode2, now: io.now() });
      return device;
    }, RECORDED);
    io.out(opts.json ? JSON.stringify({ AccountId: enabled.accountId, SerialNumber: enabled.serialNumber }) : `MFA device ${enabled.serialNumber} enabled for root of account ${enabled.accountId}: console sign-in as root now asks for its code`);
  });

  command('deactivate-mfa', 'remove the root user\'s MFA device (deactivated and deleted), e.g. when the phone is lost', async (opts) => {
    const { accountId, serialNumbers } = await withAdmin(opts, env, (admin) => admin.deactivateRootMfa({ accountId: opts.accountId, now: io.now() }), RECORDED);
    if (opts.json) io.out(JSON.stringify({ AccountId: accountId, SerialNumbers: serialNumbers }));
    else io.out(serialNumbers.length > 0 ? `MFA device ${serialNumbers.join(', ')} of root of account ${accountId} deactivated and deleted` : `root of account ${accountId} has no MFA device`);
  });

  command('create-access-key', 'make an access key for the root user and print its secret once (the server makes root\'s key only at the first start; recorded in the trail)', async (opts) => {
    const key = await withAdmin(opts, env, (admin) => admin.createRootAccessKey({ accountId: opts.accountId, now: io.now() }), RECORDED);
    if (opts.json) {
      io.out(JSON.stringify({ AccountId: key.accountId, AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey }));
    } else {
      io.out(`root access key of account ${key.accountId}, shown this once:`);
      io.out(`root access key id:     ${key.accessKeyId}`);
      io.out(`root secret access key: ${key.secretAccessKey}`);
      io.out('Use it for the task that needs root, then deactivate or delete it again.');
    }
  });
}
