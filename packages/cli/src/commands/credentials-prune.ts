/**
 * `castellan credentials prune --unused-days N [--apply]`: finds the console passwords (login
 * profiles) and active access keys of IAM users unused for at least N days (a credential never used
 * counts from its creation) on a running server, and with `--apply` deactivates those keys
 * (`UpdateAccessKey` to Inactive) and deletes those passwords (`DeleteLoginProfile`: IAM has no
 * inactive password). A dry run by default. Every read and change is an ordinary IAM call, so
 * audited, made with @aws-sdk/client-iam and the AWS default credential chain; `--endpoint-url`
 * (or `AWS_ENDPOINT_URL[_IAM]`) names the server, and is required. The root user's keys are left alone.
 */
import {
  DeleteLoginProfileCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  UpdateAccessKeyCommand,
  type User,
} from '@aws-sdk/client-iam';
import { InvalidArgumentError, type Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import { castellanEndpoint, NO_ENDPOINT_MESSAGE } from './castellan-endpoint.js';
import type { CliIo } from './cli-io.js';

/** The options of `credentials prune`. */
export interface CredentialsPruneOptions {
  unusedDays: number;
  apply?: boolean;
  endpointUrl?: string;
  region?: string;
}

/** A password or access key unused for too long. */
export interface UnusedCredential {
  userName: string;
  kind: 'password' | 'access-key';
  accessKeyId?: string;
  /** The last use, absent when never used. */
  lastUsed?: Date;
  /** When the idle time starts: the last use, or the creation of a credential never used. */
  idleSince: Date;
  idleDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Registers `prune` under the `credentials` command. */
export function registerCredentialsPrune(credentials: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  credentials
    .command('prune')
    .description('list the passwords and access keys of IAM users unused for N days on a running server; --apply deactivates the keys and deletes the passwords')
    .requiredOption('--unused-days <days>', 'unused for at least this many days (never used: counted from creation)', parseDays)
    .option('--apply', 'make the changes (default: a dry run that changes nothing)')
    .option('--endpoint-url <url>', 'the Castellan server (required unless $AWS_ENDPOINT_URL_IAM or $AWS_ENDPOINT_URL is set)')
    .option('--region <region>', 'the signing region; default $AWS_REGION or us-east-1')
    .action(async (opts: CredentialsPruneOptions) => {
      const endpoint = castellanEndpoint(opts.endpointUrl, process.env);
      if (endpoint === undefined) {
        io.err(`castellan credentials prune: ${NO_ENDPOINT_MESSAGE}`);
        setExitCode(ExitCode.Usage);
        return;
      }
      const client = new IAMClient({ region: opts.region ?? process.env['AWS_REGION'] ?? 'us-east-1', endpoint, maxAttempts: 1 });
      try {
        setExitCode(await pruneUnusedCredentials(client, opts, io));
      } catch (err) {
        const e = err as { name?: string; message?: string };
        io.err(`castellan credentials prune: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(err)}`);
        setExitCode(ExitCode.Error);
      } finally {
        client.destroy();
      }
    });
}

function parseDays(value: string): number {
  const n = Number(value);
  // InvalidArgumentError: commander names the option and exits as a usage error (2), not with a stack trace.
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('It must be a whole number of days.');
  return n;
}

/** The listing and, with `apply`, the changes, over any IAM client. Resolves to the exit code. */
export async function pruneUnusedCredentials(client: IAMClient, opts: CredentialsPruneOptions, io: CliIo): Promise<ExitCode> {
  const now = io.now();
  const unused = await findUnusedCredentials(client, opts.unusedDays, now);
  for (const c of unused) io.out(describe(c));
  const passwords = unused.filter((c) => c.kind === 'password');
  const keys = unused.filter((c) => c.kind === 'access-key');
  const counts = `${passwords.length} password(s) and ${keys.length} access key(s) unused for ${opts.unusedDays} day(s) or more`;
  if (!opts.apply) {
    io.out(`${counts}. Dry run: nothing was changed; run again with --apply to deactivate the keys and delete the passwords.`);
    return ExitCode.Ok;
  }
  for (const k of keys) await client.send(new UpdateAccessKeyCommand({ UserName: k.userName, AccessKeyId: k.accessKeyId!, Status: 'Inactive' }));
  for (const p of passwords) await client.send(new DeleteLoginProfileCommand({ UserName: p.userName }));
  io.out(`${counts}: deactivated ${keys.length} access key(s), deleted ${passwords.length} password(s).`);
  return ExitCode.Ok;
}

/** Every user's password and active keys whose idle time reaches `days`, user by user. */
export async function findUnusedCredentials(client: IAMClient, days: number, now: Date): Promise<UnusedCredential[]> {
  const found: UnusedCredential[] = [];
  const consider = (c: Omit<UnusedCredential, 'idleDays'>) => {
    const idleDays = Math.floor((now.getTime() - c.idleSince.getTime()) / DAY_MS);
    if (idleDays >= days) found.push({ ...c, idleDays });
  };
  for await (const user of users(client)) {
    const userName = user.UserName!;
    const created = await loginProfileCreated(client, userName);
    if (created) {
      // A password set after the last sign-in is idle from when it was set.
      const lastUsed = user.PasswordLastUsed;
      const idleSince = lastUsed && lastUsed > created ? lastUsed : created;
      consider({ userName, kind: 'password', ...(lastUsed ? { lastUsed } : {}), idleSince });
    }
    const keys = (await client.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [];
    for (const key of keys.filter((k) => k.Status === 'Active')) {
      const used = (await client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId! }))).AccessKeyLastUsed?.LastUsedDate;
      consider({ userName, kind: 'access-key', accessKeyId: key.AccessKeyId!, ...(used ? { lastUsed: used } : {}), idleSince: used ?? key.CreateDate! });
    }
  }
  return found;
}

async function* users(client: IAMClient): AsyncGenerator<User> {
  let marker: string | undefined;
  do {
    const page = await client.send(new ListUsersCommand({ ...(marker ? { Marker: marker } : {}) }));
    yield* page.Users ?? [];
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
}

async function loginProfileCreated(client: IAMClient, userName: string): Promise<Date | undefined> {
  try {
    return (await client.send(new GetLoginProfileCommand({ UserName: userName }))).LoginProfile?.CreateDate;
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchEntityException') return undefined;
    throw err;
  }
}

function describe(c: UnusedCredential): string {
  const what = c.kind === 'password' ? `password of ${c.userName}` : `access key ${c.accessKeyId} of ${c.userName}`;
  const when = c.lastUsed ? `last used ${c.lastUsed.toISOString()}` : `never used, created ${c.idleSince.toISOString()}`;
  return `${what}: ${when} (${c.idleDays} day(s) ago)`;
}
