/**
 * The `castellan account` command group: `create` and `list`. They work on the deployment's data
 * folder or database directly (beside a running server, or without one), as the trail commands
 * do, so they need access to the data folder and the master key, which only the operator has, and
 * are in no trail. Automation calls the Castellan API's CreateAccount/ListAccounts instead (signed,
 * authorized for the management account's principals, audited), which run the same services.
 */
import type { Command } from 'commander';
import { openAccountAdmin, type AccountAdmin, type AccountAdminOptions } from '@castellan/server/accounts';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';

/** The environment the commands read (`CASTELLAN_DATA_DIR`, `CASTELLAN_DATABASE_URL`, `CASTELLAN_MASTER_KEY`). */
export interface AccountEnv {
  env: Record<string, string | undefined>;
}

export interface LocationOptions {
  dataDir?: string;
  databaseUrl?: string;
  schema?: string;
  json?: boolean;
}

export function withLocation(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'the server\'s data folder (SQLite database, master key); default $CASTELLAN_DATA_DIR or ./data')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL; default $CASTELLAN_DATABASE_URL')
    .option('--schema <name>', 'PostgreSQL schema (default public)')
    .option('--json', 'print JSON instead of text');
}

export async function withAdmin<T>(opts: LocationOptions, env: AccountEnv, fn: (admin: AccountAdmin) => Promise<T>, options: AccountAdminOptions = {}): Promise<T> {
  const databaseUrl = opts.databaseUrl ?? (env.env['CASTELLAN_DATABASE_URL'] || undefined);
  const admin = await openAccountAdmin(
    { dataDir: opts.dataDir ?? env.env['CASTELLAN_DATA_DIR'] ?? './data', ...(databaseUrl ? { databaseUrl } : {}), ...(opts.schema ? { schema: opts.schema } : {}) },
    env.env,
    options,
  );
  try {
    return await fn(admin);
  } finally {
    await admin.close();
  }
}

/** Adds `account create` and `account list` to the program. `env` defaults to the process's. */
export function registerAccountCommands(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void, env: AccountEnv = { env: process.env }): void {
  const account = program.command('account').description('create and list the AWS accounts this deployment hosts').exitOverride();

  withLocation(account.command('create'))
    .description('create an account with its root access key (the secret is printed once)')
    .option('--account-id <id>', 'the 12-digit id (default: a random one)')
    .action(async (opts: LocationOptions & { accountId?: string }) => {
      try {
        await withAdmin(opts, env, async (admin) => {
          const created = await admin.createAccount({ accountId: opts.accountId, now: io.now() });
          if (opts.json) {
            io.out(JSON.stringify({
              AccountId: created.accountId,
              CreateDate: created.createDate.toISOString(),
              AccessKeyId: created.rootAccessKeyId,
              SecretAccessKey: created.rootSecretAccessKey,
            }));
          } else {
            io.out(`account ${created.accountId} created`);
            io.out(`root access key id:     ${created.rootAccessKeyId}`);
            io.out(`root secret access key: ${created.rootSecretAccessKey}`);
            io.out('The secret is shown only now: store it safely.');
          }
        });
        setExitCode(ExitCode.Ok);
      } catch (err) {
        io.err(`castellan account create: ${(err as Error).message}`);
        setExitCode(ExitCode.Error);
      }
    });

  withLocation(account.command('list'))
    .description('list the accounts, their aliases and which one the server bootstrapped')
    .action(async (opts: LocationOptions) => {
      try {
        await withAdmin(opts, env, async (admin) => {
          const accounts = await admin.listAccounts();
          if (opts.json) {
            io.out(JSON.stringify({
              Accounts: accounts.map((a) => ({ AccountId: a.accountId, CreateDate: a.createDate.toISOString(), Aliases: a.aliases, Bootstrap: a.bootstrap })),
            }));
            return;
          }
          for (const a of accounts) {
            io.out([a.accountId, a.createDate.toISOString(), a.aliases.join(',') || '-', a.bootstrap ? 'bootstrap' : ''].join('\t').trimEnd());
          }
        });
        setExitCode(ExitCode.Ok);
      } catch (err) {
        io.err(`castellan account list: ${(err as Error).message}`);
        setExitCode(ExitCode.Error);
      }
    });
}
