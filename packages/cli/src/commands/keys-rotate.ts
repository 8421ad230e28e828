/**
 * `castellan keys rotate --user NAME`: rotates an IAM user's access key against a running server
 * without downtime, as AWS's guidance describes: create a second key, hand it out (printed once),
 * deactivate the old one once everything uses the new one (after a confirmation on a terminal, or
 * with `--deactivate-old`, in the same run or a later one, which then creates no key), and delete it
 * later (`--delete-old`, which removes the user's inactive keys). A user already holding two keys is
 * otherwise refused unless `--retire KEYID` names the one to delete first. Every step is an ordinary IAM call (so audited), made with @aws-sdk/client-iam and the
 * AWS default credential chain; `--endpoint-url` (or `AWS_ENDPOINT_URL`) names the server.
 */
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  type AccessKeyMetadata,
} from '@aws-sdk/client-iam';
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';

/** The options of `keys rotate`. */
export interface KeysRotateOptions {
  user: string;
  endpointUrl?: string;
  region?: string;
  retire?: string;
  deactivateOld?: boolean;
  deleteOld?: boolean;
}

/** Registers `rotate` under the `keys` command. */
export function registerKeysRotate(keys: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  keys
    .command('rotate')
    .description("rotate an IAM user's access key on a running server: create the second key, print it once, deactivate the old one, delete it later")
    .requiredOption('--user <name>', 'the IAM user whose key to rotate')
    .option('--endpoint-url <url>', 'the Castellan server; default $AWS_ENDPOINT_URL_IAM or $AWS_ENDPOINT_URL')
    .option('--region <region>', 'the signing region; default $AWS_REGION or us-east-1')
    .option('--retire <key-id>', 'when the user already has two keys: delete this one first')
    .option('--deactivate-old', 'deactivate the old key right after creating the new one (no question asked); for a user who already has two keys, deactivate the older active one and create none')
    .option('--delete-old', "later: delete the user's inactive keys (creates no key)")
    .action(async (opts: KeysRotateOptions) => {
      const endpoint = opts.endpointUrl ?? process.env['AWS_ENDPOINT_URL_IAM'] ?? process.env['AWS_ENDPOINT_URL'];
      const client = new IAMClient({ region: opts.region ?? process.env['AWS_REGION'] ?? 'us-east-1', ...(endpoint ? { endpoint } : {}), maxAttempts: 1 });
      try {
        setExitCode(await rotateAccessKeys(client, opts, io));
      } catch (err) {
        const e = err as { name?: string; message?: string };
        io.err(`castellan keys rotate: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(err)}`);
        setExitCode(ExitCode.Error);
      } finally {
        client.destroy();
      }
    });
}

/** The rotation itself, over any IAM client. Resolves to the exit code. */
export async function rotateAccessKeys(client: IAMClient, opts: KeysRotateOptions, io: CliIo): Promise<ExitCode> {
  const user = opts.user;
  const keys = (await client.send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? [];
  if (opts.deleteOld) return deleteInactive(client, user, keys, io);

  let old = keys;
  if (keys.length >= 2) {
    // The second step of a rotation begun without --deactivate-old: the newer key is in use, so
    // deactivate the older active one and create nothing (the hint printed by the first run).
    if (!opts.retire && opts.deactivateOld) return deactivateOlder(client, user, keys, io);
    if (!opts.retire) {
      io.err(`castellan keys rotate: user ${user} already has two access keys (${describe(keys)}); name the one to delete first with --retire KEYID`);
      return ExitCode.Failure;
    }
    if (!keys.some((k) => k.AccessKeyId === opts.retire)) {
      io.err(`castellan keys rotate: ${opts.retire} is not an access key of user ${user} (${describe(keys)})`);
      return ExitCode.Failure;
    }
    await client.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: opts.retire }));
    io.out(`Deleted retired key ${opts.retire}.`);
    old = keys.filter((k) => k.AccessKeyId !== opts.retire);
  } else if (opts.retire) {
    io.err(`castellan keys rotate: --retire is only for a user with two keys; ${user} has ${keys.length}`);
    return ExitCode.Usage;
  }

  const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: user }));
  io.out(`New access key for ${user} (the secret is shown only now: store it safely):`);
  io.out(`AccessKeyId: ${AccessKey!.AccessKeyId}`);
  io.out(`SecretAccessKey: ${AccessKey!.SecretAccessKey}`);

  const active = old.filter((k) => k.Status === 'Active');
  if (active.length === 0) return ExitCode.Ok;
  const ids = active.map((k) => k.AccessKeyId!).join(', ');
  const deactivate = opts.deactivateOld
    || (io.confirm !== undefined && (await io.confirm(`Deactivate the old key ${ids} now? Do it once everything uses the new key. [y/N] `)));
  if (!deactivate) {
    io.out(`The old key ${ids} stays Active. Once everything uses the new key, deactivate it: castellan keys rotate --user ${user} --deactivate-old (creates no key), or aws iam update-access-key --user-name ${user} --access-key-id ${active[0]!.AccessKeyId} --status Inactive`);
    return ExitCode.Ok;
  }
  for (const k of active) await client.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: k.AccessKeyId!, Status: 'Inactive' }));
  io.out(`Deactivated the old key ${ids}. When nothing has failed for a while, delete it: castellan keys rotate --user ${user} --delete-old`);
  return ExitCode.Ok;
}

/**
 * `--deactivate-old` on a user who already has two keys: the newest key stays, the older active one
 * is deactivated. Refused (nothing changed) when the newest key is itself inactive, since then the
 * active key is the only one in use, or when there is no older active key.
 */
async function deactivateOlder(client: IAMClient, user: string, keys: AccessKeyMetadata[], io: CliIo): Promise<ExitCode> {
  const byAge = [...keys].sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0));
  const newest = byAge[byAge.length - 1]!;
  const older = byAge.slice(0, -1).filter((k) => k.Status === 'Active');
  if (newest.Status !== 'Active' || older.length === 0) {
    io.err(`castellan keys rotate: user ${user} has no older active key to deactivate beside an active newer one (${describe(keys)}); delete an inactive key with --delete-old, or name one to delete with --retire KEYID`);
    return ExitCode.Failure;
  }
  for (const k of older) await client.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: k.AccessKeyId!, Status: 'Inactive' }));
  const ids = older.map((k) => k.AccessKeyId!).join(', ');
  io.out(`Deactivated the old key ${ids}; ${newest.AccessKeyId} stays Active. When nothing has failed for a while, delete it: castellan keys rotate --user ${user} --delete-old`);
  return ExitCode.Ok;
}

async function deleteInactive(client: IAMClient, user: string, keys: AccessKeyMetadata[], io: CliIo): Promise<ExitCode> {
  const inactive = keys.filter((k) => k.Status === 'Inactive');
  if (inactive.length === 0) {
    io.err(`castellan keys rotate: user ${user} has no inactive key to delete (${describe(keys) || 'no keys'}); deactivate the old key first`);
    return ExitCode.Failure;
  }
  for (const k of inactive) {
    await client.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: k.AccessKeyId! }));
    io.out(`Deleted inactive key ${k.AccessKeyId}.`);
  }
  return ExitCode.Ok;
}

function describe(keys: AccessKeyMetadata[]): string {
  return keys.map((k) => `${k.AccessKeyId} ${k.Status}`).join(', ');
}
