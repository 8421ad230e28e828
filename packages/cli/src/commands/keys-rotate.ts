/**
 * `castellan keys rotate --user NAME`: rotates an IAM user's access key against a running server
 * without downtime, as AWS's guidance describes: create a second key, hand it out (printed once),
 * deactivate the old one once everything uses the new one, and delete it later (`--delete-old`,
 * which removes the user's inactive keys). The old key is deactivated after a confirmation on a
 * terminal, at once with `--deactivate-old` (in the run that creates the new key), or in a later run
 * with `--deactivate KEYID` naming it. A user already holding two keys is otherwise refused unless
 * `--retire KEYID` names the one to delete first.
 *
 * Before deactivating an old key beside a key that already existed (a confirmation, or
 * `--deactivate`), the key that stays must have been used. AWS's rotation steps (IAM User Guide,
 * "Rotating access keys"; CIS 1.14) run `get-access-key-last-used` before the old key is deactivated
 * (to see whether it is still in use: printed here); checking the new key too means a rerun after a
 * lost CreateAccessKey answer (a new key whose secret nobody has) never deactivates the only
 * working key. The user's second key may also belong to another
 * application, so a later run never picks the key to deactivate itself: `--deactivate` names it.
 *
 * Every step is an ordinary IAM call (so audited), made with @aws-sdk/client-iam and the AWS default
 * credential chain; `--endpoint-url` (or `AWS_ENDPOINT_URL[_IAM]`) names the server, and is required.
 */
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  type AccessKeyMetadata,
} from '@aws-sdk/client-iam';
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import { castellanEndpoint, NO_ENDPOINT_MESSAGE } from './castellan-endpoint.js';
import type { CliIo } from './cli-io.js';

/** The options of `keys rotate`. */
export interface KeysRotateOptions {
  user: string;
  endpointUrl?: string;
  region?: string;
  retire?: string;
  deactivateOld?: boolean;
  deactivate?: string;
  deleteOld?: boolean;
}

/**
 * How long to wait for a key's first use to show: the server writes last-used data in batches
 * (Castellan every 2 s), so a client that switched a moment ago may not show yet. Four looks over
 * 3.75 s cover one batch and its write; a key still unused after that is reported, and the message
 * says to retry.
 */
const USE_CHECKS = 4;
const USE_CHECK_INTERVAL_MS = 1250;

/** Registers `rotate` under the `keys` command. */
export function registerKeysRotate(keys: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  keys
    .command('rotate')
    .description("rotate an IAM user's access key on a running server: create the second key, print it once, deactivate the old one, delete it later")
    .requiredOption('--user <name>', 'the IAM user whose key to rotate')
    .option('--endpoint-url <url>', 'the Castellan server (required unless $AWS_ENDPOINT_URL_IAM or $AWS_ENDPOINT_URL is set)')
    .option('--region <region>', 'the signing region; default $AWS_REGION or us-east-1')
    .option('--retire <key-id>', 'when the user already has two keys: delete this one first')
    .option('--deactivate-old', 'deactivate the old key right after creating the new one (no question asked)')
    .option('--deactivate <key-id>', 'later, once everything uses the new key: deactivate this old key (creates no key); refused unless the other active key has been used')
    .option('--delete-old', "later: delete the user's inactive keys (creates no key)")
    .action(async (opts: KeysRotateOptions) => {
      const endpoint = castellanEndpoint(opts.endpointUrl, process.env);
      if (endpoint === undefined) {
        io.err(`castellan keys rotate: ${NO_ENDPOINT_MESSAGE}`);
        setExitCode(ExitCode.Usage);
        return;
      }
      const client = new IAMClient({ region: opts.region ?? process.env['AWS_REGION'] ?? 'us-east-1', endpoint, maxAttempts: 1 });
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
  if (opts.deactivate !== undefined && (opts.deleteOld || opts.deactivateOld || opts.retire !== undefined)) {
    io.err('castellan keys rotate: --deactivate KEYID creates no key and goes alone (not with --retire, --deactivate-old or --delete-old)');
    return ExitCode.Usage;
  }
  if (opts.deleteOld) return deleteInactive(client, user, keys, io);
  if (opts.deactivate !== undefined) return deactivateNamed(client, user, keys, opts.deactivate, io);

  let old = keys;
  if (keys.length >= 2) {
    if (!opts.retire && opts.deactivateOld) {
      // A later run never guesses which key is old: the newer one may be a key whose secret was
      // lost (a rerun after CreateAccessKey's answer went missing), or both may be in use by two
      // applications. The operator names it, and --deactivate checks the other one is in use.
      const older = olderActive(keys);
      io.err(`castellan keys rotate: user ${user} already has two access keys (${describe(keys)}); --deactivate-old only deactivates beside the key this run creates. To finish a rotation, name the old key: ${older ? deactivateCommand(user, older) : 'castellan keys rotate --user ' + user + ' --deactivate KEYID'}`);
      return ExitCode.Failure;
    }
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
  const stays = `The old key ${ids} stays Active. Once everything uses the new key, deactivate it: ${deactivateCommand(user, active[0]!)} (creates no key)`;
  if (!opts.deactivateOld) {
    const confirmed = io.confirm !== undefined && (await io.confirm(`Deactivate the old key ${ids} now? Do it once everything uses the new key. [y/N] `));
    if (!confirmed) {
      io.out(stays);
      return ExitCode.Ok;
    }
    // A confirmation is the operator's word; the new key's recorded use is the evidence that a
    // client holds its secret.
    if (!(await hasBeenUsed(client, AccessKey!.AccessKeyId!))) {
      io.err(`castellan keys rotate: the new key ${AccessKey!.AccessKeyId} has not been used yet, so the old key was not deactivated (last use is recorded within a few seconds: retry shortly). ${stays}`);
      return ExitCode.Failure;
    }
  }
  for (const k of active) {
    io.out(await describeLastUse(client, k.AccessKeyId!));
    await client.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: k.AccessKeyId!, Status: 'Inactive' }));
  }
  io.out(`Deactivated the old key ${ids}. When nothing has failed for a while, delete it: castellan keys rotate --user ${user} --delete-old`);
  return ExitCode.Ok;
}

/**
 * `--deactivate KEYID`: the second step of a staged rotation. Refused, nothing changed, unless KEYID
 * is an Active key of the user and another Active key stays that has been used since it was created
 * (a key's last use can only follow its creation, so any recorded use counts).
 */
async function deactivateNamed(client: IAMClient, user: string, keys: AccessKeyMetadata[], keyId: string, io: CliIo): Promise<ExitCode> {
  const target = keys.find((k) => k.AccessKeyId === keyId);
  if (!target) {
    io.err(`castellan keys rotate: ${keyId} is not an access key of user ${user} (${describe(keys) || 'no keys'})`);
    return ExitCode.Failure;
  }
  if (target.Status !== 'Active') {
    io.err(`castellan keys rotate: ${keyId} is already ${target.Status}; delete it with castellan keys rotate --user ${user} --delete-old`);
    return ExitCode.Failure;
  }
  const staying = keys.filter((k) => k.AccessKeyId !== keyId && k.Status === 'Active');
  if (staying.length === 0) {
    io.err(`castellan keys rotate: ${keyId} is the only active key of user ${user}; deactivating it would leave none. Create the new key first: castellan keys rotate --user ${user}`);
    return ExitCode.Failure;
  }
  for (const k of staying) {
    if (!(await hasBeenUsed(client, k.AccessKeyId!))) {
      io.err(`castellan keys rotate: the other key ${k.AccessKeyId} has never been used, so ${keyId} stays Active (last use is recorded within a few seconds: if a client has just switched, retry shortly). If nobody has the new key's secret, delete it and start again: castellan keys rotate --user ${user} --retire ${k.AccessKeyId}`);
      return ExitCode.Failure;
    }
  }
  io.out(await describeLastUse(client, keyId));
  await client.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: keyId, Status: 'Inactive' }));
  io.out(`Deactivated the old key ${keyId}; ${staying.map((k) => k.AccessKeyId).join(', ')} stays Active. When nothing has failed for a while, delete it: castellan keys rotate --user ${user} --delete-old`);
  return ExitCode.Ok;
}

/** Whether the key has a recorded use, looking a few times while the server's batch may be pending. */
async function hasBeenUsed(client: IAMClient, keyId: string): Promise<boolean> {
  for (let i = 0; i < USE_CHECKS; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, USE_CHECK_INTERVAL_MS));
    const { AccessKeyLastUsed } = await client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }));
    if (AccessKeyLastUsed?.LastUsedDate) return true;
  }
  return false;
}

/** "Old key K: last used DATE (service, region)" or "never used", printed before it is deactivated. */
async function describeLastUse(client: IAMClient, keyId: string): Promise<string> {
  const { AccessKeyLastUsed: used } = await client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }));
  return used?.LastUsedDate
    ? `Old key ${keyId}: last used ${used.LastUsedDate.toISOString()} (${used.ServiceName ?? 'N/A'}, ${used.Region ?? 'N/A'}).`
    : `Old key ${keyId}: never used.`;
}

/** The older of the user's active keys (the one a rotation retires), if there is an active newer one. */
function olderActive(keys: AccessKeyMetadata[]): AccessKeyMetadata | undefined {
  const byAge = [...keys].sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0));
  return byAge.length >= 2 && byAge[0]!.Status === 'Active' ? byAge[0] : undefined;
}

function deactivateCommand(user: string, key: AccessKeyMetadata): string {
  return `castellan keys rotate --user ${user} --deactivate ${key.AccessKeyId}`;
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
