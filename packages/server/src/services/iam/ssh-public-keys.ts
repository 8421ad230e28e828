/**
 * SSH public keys of IAM users (UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys,
 * UpdateSSHPublicKey, DeleteSSHPublicKey): ssh-rsa or PEM, 2048 bits or more, at most 5 per user,
 * each key once per user.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { DuplicateSshPublicKeyError, NoSuchEntityError } from '../../domain/errors.js';
import type { AccessKeyStatus, Page, SshPublicKey } from '../../domain/iam-entities.js';
import { StoreConflictError, StoreLimitError } from '../../store/store-errors.js';
import type { SshPublicKeyRow, UserRow } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { sshPublicKeyId } from './credential-ids.js';
import { credentialSubject, pageRequest, quotaExceeded, requireUser, withMarker, type PagingInput } from './identity-common.js';
import { parseSshPublicKey } from './ssh-public-key-format.js';

/** UploadSSHPublicKey: an Active key with its fingerprint. */
export async function uploadSshPublicKey(deps: ServiceDeps, input: { userName: string; body: string }, ctx: RequestContext): Promise<SshPublicKey> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
  const parsed = parseSshPublicKey(input.body);
  const limit = deps.quotas.sshPublicKeysPerUser;
  try {
    const row = await deps.store.createSshPublicKey({
      accountId: ctx.caller.accountId,
      id: sshPublicKeyId(deps.ids),
      userId: user.id,
      body: input.body.trim(),
      fingerprint: parsed.fingerprint,
      status: 'Active',
      uploadDate: ctx.now,
      maxPerUser: limit,
    });
    return toView(row, user, row.body);
  } catch (err) {
    if (err instanceof StoreLimitError) throw quotaExceeded('SSHPublicKeysPerUser', limit);
    if (err instanceof StoreConflictError) throw new DuplicateSshPublicKeyError('The SSH public key is already associated with the specified IAM user.');
    throw err;
  }
}

/** GetSSHPublicKey: the key in the encoding asked for (`SSH`: `ssh-rsa …`, `PEM`: SPKI PEM). */
export async function getSshPublicKey(
  deps: ServiceDeps,
  input: { userName: string; sshPublicKeyId: string; encoding: 'SSH' | 'PEM' },
  ctx: RequestContext,
): Promise<SshPublicKey> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
  const row = await requireKey(deps, user, input.sshPublicKeyId);
  const parsed = parseSshPublicKey(row.body);
  return toView(row, user, input.encoding === 'PEM' ? parsed.pem : parsed.ssh);
}

/** ListSSHPublicKeys: metadata of a user's keys (the caller's own without a name; the root has none). */
export async function listSshPublicKeys(deps: ServiceDeps, input: { userName?: string | undefined } & PagingInput, ctx: RequestContext): Promise<Page<SshPublicKey>> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  if (subject.kind === 'root') return { items: [], isTruncated: false };
  const { user } = subject;
  const page = await withMarker(() => deps.store.listSshPublicKeys({ userId: user.id, ...pageRequest(input) }));
  return { ...page, items: page.items.map((row) => toView(row, user, row.body)) };
}

/** UpdateSSHPublicKey: Active or Inactive. */
export async function updateSshPublicKey(
  deps: ServiceDeps,
  input: { userName: string; sshPublicKeyId: string; status: AccessKeyStatus },
  ctx: RequestContext,
): Promise<void> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
  await requireKey(deps, user, input.sshPublicKeyId);
  await deps.store.updateSshPublicKeyStatus(input.sshPublicKeyId, input.status);
}

/** DeleteSSHPublicKey. */
export async function deleteSshPublicKey(deps: ServiceDeps, input: { userName: string; sshPublicKeyId: string }, ctx: RequestContext): Promise<void> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
  await requireKey(deps, user, input.sshPublicKeyId);
  await deps.store.deleteSshPublicKey(input.sshPublicKeyId);
}

async function requireKey(deps: ServiceDeps, user: UserRow, id: string): Promise<SshPublicKeyRow> {
  const row = await deps.store.getSshPublicKey(id);
  if (!row || row.userId !== user.id) throw new NoSuchEntityError(`The Public Key with id ${id} cannot be found.`);
  return row;
}

function toView(row: SshPublicKeyRow, user: UserRow, body: string): SshPublicKey {
  return { userName: user.name, id: row.id, fingerprint: row.fingerprint, body, status: row.status, uploadDate: row.uploadDate };
}
