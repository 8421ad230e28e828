/**
 * The `castellan workload` command group: `register`, `list`, `revoke`. Like `castellan account`,
 * they work on the deployment's data folder or database directly (only the operator has it): a
 * registration binds a workload to an instance profile and prints its bootstrap secret once, for
 * `castellan agent --secret-file` beside the workload.
 */
import type { Command } from 'commander';
import type { AccountAdmin } from '@castellan/server/accounts';
import { ExitCode } from '../exit-codes.js';
import { withAdmin, withLocation, type AccountEnv, type LocationOptions } from './account-command.js';
import type { CliIo } from './cli-io.js';

async function run(io: CliIo, setExitCode: (code: ExitCode) => void, name: string, fn: () => Promise<ExitCode | void>): Promise<void> {
  try {
    setExitCode((await fn()) ?? ExitCode.Ok);
  } catch (err) {
    io.err(`castellan workload ${name}: ${(err as Error).message}`);
    setExitCode(ExitCode.Error);
  }
}

async function defaultAccountId(admin: AccountAdmin): Promise<string> {
  const bootstrap = (await admin.listAccounts()).find((a) => a.bootstrap);
  if (!bootstrap) throw new Error('no bootstrap account: give --account-id');
  return bootstrap.accountId;
}

/** Adds `workload register|list|revoke` to the program. `env` defaults to the process's. */
export function registerWorkloadCommands(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void, env: AccountEnv = { env: process.env }): void {
  const workload = program.command('workload').description('register workloads that get an instance profile\'s role through `castellan agent`').exitOverride();

  withLocation(workload.command('register'))
    .description('register a workload against an instance profile (the bootstrap secret is printed once)')
    .requiredOption('--instance-profile <name>', 'the instance profile whose role the workload gets')
    .option('--account-id <id>', 'the profile\'s account (default: the bootstrap account)')
    .action((opts: LocationOptions & { instanceProfile: string; accountId?: string }) => run(io, setExitCode, 'register', () =>
      withAdmin(opts, env, async (admin) => {
        const accountId = opts.accountId ?? (await defaultAccountId(admin));
        const { registration, bootstrapSecret } = await admin.registerWorkload({ accountId, instanceProfileName: opts.instanceProfile, now: io.now() });
        if (opts.json) {
          io.out(JSON.stringify({ Id: registration.id, AccountId: accountId, InstanceProfileName: registration.instanceProfileName, BootstrapSecret: bootstrapSecret }));
          return;
        }
        io.out(`workload ${registration.id} registered for instance profile ${registration.instanceProfileName} in ${accountId}`);
        io.out(`bootstrap secret: ${bootstrapSecret}`);
        io.out('The secret is shown only now: put it in a file only the agent can read (castellan agent --secret-file).');
      })));

  withLocation(workload.command('list'))
    .description('list the registrations and whether they are revoked')
    .action((opts: LocationOptions) => run(io, setExitCode, 'list', () =>
      withAdmin(opts, env, async (admin) => {
        const rows = await admin.listWorkloads();
        if (opts.json) {
          io.out(JSON.stringify({
            Workloads: rows.map((r) => ({
              Id: r.id,
              AccountId: r.accountId,
              InstanceProfileName: r.instanceProfileName,
              CreateDate: r.createDate.toISOString(),
              ...(r.revokedAt ? { RevokedDate: r.revokedAt.toISOString() } : {}),
            })),
          }));
          return;
        }
        for (const r of rows) {
          io.out([r.id, r.accountId, r.instanceProfileName, r.createDate.toISOString(), r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : 'active'].join('\t'));
        }
      })));

  withLocation(workload.command('revoke'))
    .description('revoke a registration: its agent gets nothing more at its next refresh')
    .argument('<id>', 'the registration id (wl-…)')
    .action((id: string, opts: LocationOptions) => run(io, setExitCode, 'revoke', () =>
      withAdmin(opts, env, async (admin) => {
        if (!(await admin.revokeWorkload(id, io.now()))) {
          io.err(`castellan workload revoke: no active registration ${id}`);
          return ExitCode.Failure;
        }
        io.out(`workload ${id} revoked`);
        return undefined;
      })));
}
