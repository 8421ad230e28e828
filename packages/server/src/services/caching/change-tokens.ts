/**
 * The dependency tokens of cached state, and the token a published change invalidates. Every
 * cached entry depends on its account's token, so `account` and `everything` changes reach it.
 *
 * @module
 */
import type { CachedStateChange } from '../../domain/ports/change-feed.js';

/** Tokens an entry may depend on. */
export const dependencyToken = {
  accessKey: (accessKeyId: string): string => `access-key:${accessKeyId}`,
  /** A user, group or role, by ARN. */
  principal: (arn: string): string => `principal:${arn}`,
  /** A managed policy, by ARN. */
  policy: (arn: string): string => `policy:${arn}`,
  account: (accountId: string): string => `account:${accountId}`,
} as const;

/** The token `change` invalidates, or `undefined` for "everything of every account". */
export function invalidatedToken(change: CachedStateChange): string | undefined {
  switch (change.scope) {
    case 'access-key':
      return dependencyToken.accessKey(change.key);
    case 'principal':
      return dependencyToken.principal(change.key);
    case 'policy':
      return dependencyToken.policy(change.key);
    case 'account':
      return dependencyToken.account(change.accountId);
    case 'everything':
      return change.accountId === undefined ? undefined : dependencyToken.account(change.accountId);
  }
}
