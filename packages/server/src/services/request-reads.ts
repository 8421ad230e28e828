import type { RequestContext } from '../domain/context.js';
import type { ServiceDeps } from './service-deps.js';

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
