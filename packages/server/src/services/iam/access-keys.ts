/**
 * Long-term access keys: CreateAccessKey (the secret is returned once), ListAccessKeys,
 * UpdateAccessKey, DeleteAccessKey and GetAccessKeyLastUsed. Without `UserName` they act on the
 * caller's own keys, the account root's included.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { NoSuchEntityError } from '../../domain/errors.js';
import { IAM_QUOTAS } from '../../domain/quotas.js';
import { StoreLimitError } from '../../store/store-errors.js';
import type { AccessKey, AccessKeyLastUsed, AccessKeyStatus, NewAccessKey, Page } from '../../domain/iam-entities.js';
import type { AccessKeyOwner, AccessKeyRow } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { credentialSubject, pageRequest, quotaExceeded, withMarker, type CredentialSubject, type PagingInput } from './identity-common.js';

function ownerOf(subject: CredentialSubject): AccessKeyOwner {
  return subject.kind === 'root' ? { kind: 'root' } : { kind: 'user', userId: subject.user.id };
}

function userNameOf(subject: CredentialSubject): string | undefined {
  return subject.kind === 'user' ? subject.user.name : undefined;
}

function toView(row: AccessKeyRow, userName: string | undefined): AccessKey {
  return { ...(userName !== undefined ? { userName } : {}), accessKeyId: row.accessKeyId, status: row.status, createDate: row.createDate };
}

/** CreateAccessKey: a new Active `AKIA…` key and its 40-character secret; at most 2 per user (and per root). */
export async function createAccessKey(deps: Pick<ServiceDeps, 'store' | 'ids' | 'quotas'>, input: { userName?: string | undefined }, ctx: RequestContext): Promise<NewAccessKey> {
  const { store, ids } = deps;
  const subject = await credentialSubject(store, ctx, input.userName);
  const secretAccessKey = ids.secretAccessKey();
  const limit = subject.kind === 'root' ? IAM_QUOTAS.accessKeysPerRoot : deps.quotas.accessKeysPerUser;
  try {
    const row = await store.createAccessKey({
      accountId: ctx.caller.accountId,
      accessKeyId: ids.accessKeyId('AKIA'),
      owner: ownerOf(subject),
      secretAccessKey,
      status: 'Active',
      createDate: ctx.now,
      maxPerOwner: limit,
    });
    return { ...toView(row, userNameOf(subject)), secretAccessKey };
  } catch (err) {
    if (err instanceof StoreLimitError) throw quotaExceeded('AccessKeysPerUser', limit);
    throw err;
  }
}

/** ListAccessKeys: metadata only, never secrets. */
export async function listAccessKeys(deps: ServiceDeps, input: { userName?: string | undefined } & PagingInput, ctx: RequestContext): Promise<Page<AccessKey>> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  const page = await withMarker(() => deps.store.listAccessKeys({ accountId: ctx.caller.accountId, owner: ownerOf(subject), ...pageRequest(input) }));
  const userName = userNameOf(subject);
  return { ...page, items: page.items.map((row) => toView(row, userName)) };
}

/** UpdateAccessKey: Active or Inactive (an Inactive key fails authentication). */
export async function updateAccessKey(
  deps: ServiceDeps,
  input: { userName?: string | undefined; accessKeyId: string; status: AccessKeyStatus },
  ctx: RequestContext,
): Promise<void> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  await requireOwnKey(deps, ctx, subject, input.accessKeyId);
  if (!(await deps.store.updateAccessKeyStatus(input.accessKeyId, input.status))) throw noSuchKey(input.accessKeyId);
}

/** DeleteAccessKey. */
export async function deleteAccessKey(deps: ServiceDeps, input: { userName?: string | undefined; accessKeyId: string }, ctx: RequestContext): Promise<void> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  await requireOwnKey(deps, ctx, subject, input.accessKeyId);
  if (!(await deps.store.deleteAccessKey(input.accessKeyId))) throw noSuchKey(input.accessKeyId);
}

/**
 * GetAccessKeyLastUsed: when, where and with which service the key last signed a request. Uses are
 * recorded in batches (`StoreCredentialResolver`), so a use shows up within seconds, not at once.
 */
export async function getAccessKeyLastUsed(deps: ServiceDeps, input: { accessKeyId: string }, ctx: RequestContext): Promise<AccessKeyLastUsed> {
  const key = await deps.store.getAccessKey(input.accessKeyId);
  if (!key || key.accountId !== ctx.caller.accountId) throw noSuchKey(input.accessKeyId);
  let userName: string | undefined;
  if (key.owner.kind === 'user') userName = (await deps.store.getUserById(key.owner.userId))?.name;
  return {
    ...(userName !== undefined ? { userName } : {}),
    ...(key.lastUsedDate ? { lastUsedDate: key.lastUsedDate } : {}),
    serviceName: key.lastUsedServiceName ?? 'N/A',
    region: key.lastUsedRegion ?? 'N/A',
  };
}

async function requireOwnKey(deps: ServiceDeps, ctx: RequestContext, subject: CredentialSubject, accessKeyId: string): Promise<AccessKeyRow> {
  const key = await deps.store.getAccessKey(accessKeyId);
  const owner = ownerOf(subject);
  const matches =
    key !== undefined &&
    key.accountId === ctx.caller.accountId &&
    key.owner.kind === owner.kind &&
    (key.owner.kind === 'root' || (owner.kind === 'user' && key.owner.userId === owner.userId));
  if (!matches) throw noSuchKey(accessKeyId);
  return key;
}

function noSuchKey(accessKeyId: string): NoSuchEntityError {
  return new NoSuchEntityError(`The Access Key with id ${accessKeyId} cannot be found.`);
}
