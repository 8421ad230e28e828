import type { RequestContext } from '../domain/context.js';
import type { RoleRow, Tag } from '../store/store.js';
import type { ServiceDeps } from './service-deps.js';
import { findRoleByArn } from './sts/assume-role.js';

/**
 * Reads a request makes twice, made once: authorization resolves the target of an IAM call (a user
 * and its tags, for the ARN's path and `iam:ResourceTag`), and a read-only operation such as GetUser
 * then answers the same entity. The value read first is kept on the request's context. Authorizing
 * any IAM call that names a user reads it here; of the operations, only read-only ones use it (a
 * mutation reads again inside its transaction).
 *
 * With `deps.userReads` (the server wires it) the user comes from that cache, which every committed
 * change to the user, its tags or its account empties (`services/caching/user-with-tags-cache.ts`);
 * it reads the server's store, never `deps.store` (which may be a transaction).
 */
export async function userWithTagsOnce(deps: Pick<ServiceDeps, 'store' | 'userReads'>, ctx: RequestContext, accountId: string, userName: string): ReturnType<ServiceDeps['store']['getUserWithTags']> {
  const key = `userWithTags\u0000${accountId}\u0000${userName.toLowerCase()}`;
  const reads = (ctx.reads ??= new Map());
  if (reads.has(key)) return reads.get(key) as Awaited<ReturnType<ServiceDeps['store']['getUserWithTags']>>;
  const found = deps.userReads ? await deps.userReads.load(accountId, userName) : await deps.store.getUserWithTags(accountId, userName);
  reads.set(key, found);
  return found;
}

/**
 * The role `roleArn` names (exactly, path included, as sts:AssumeRole finds it) and its tags, read
 * once per request: a role session call's authorization reads the role for its trust policy and
 * for its tags' condition keys (`aws:ResourceTag/…`, `iam:ResourceTag/…`). Read from `deps.store`
 * every time a request asks, never from a cache, so a change to the role's trust policy or tags
 * is seen by the next request on every node.
 */
export async function roleWithTagsOnce(deps: Pick<ServiceDeps, 'store'>, ctx: RequestContext, roleArn: string): Promise<{ role: RoleRow; tags: Tag[] } | undefined> {
  const key = `roleWithTags\u0000${roleArn}`;
  const reads = (ctx.reads ??= new Map());
  if (reads.has(key)) return reads.get(key) as { role: RoleRow; tags: Tag[] } | undefined;
  const role = await findRoleByArn(deps.store, roleArn);
  const found = role ? { role, tags: (await deps.store.listTags({ kind: 'role', id: role.id }, { maxItems: 1000 })).items } : undefined;
  reads.set(key, found);
  return found;
}
