import { describe, expect, it } from 'vitest';
import type { CachedStateChange } from '../../domain/ports/change-feed.js';
import type { Store } from '../../store/store.js';
import { AccountAliasCache } from './account-alias-cache.js';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';

/** A store whose alias reads are counted; `aliases` may be changed between reads. */
function countingStore(aliases: Record<string, string[]> = { [ACCOUNT]: ['corp'] }) {
  const calls: string[] = [];
  const store: Pick<Store, 'listAccountAliases'> = {
    async listAccountAliases(accountId) {
      calls.push(accountId);
      return aliases[accountId] ?? [];
    },
  };
  return { store, calls, aliases };
}

describe('AccountAliasCache', () => {
  it('reads an account alias once', async () => {
    const { store, calls } = countingStore();
    const cache = new AccountAliasCache(() => store);
    expect(await cache.alias(ACCOUNT)).toBe('corp');
    expect(await cache.alias(ACCOUNT)).toBe('corp');
    expect(calls).toEqual([ACCOUNT]);
  });

  it('remembers an account without an alias too (creating one publishes an account change)', async () => {
    const { store, calls } = countingStore({});
    const cache = new AccountAliasCache(() => store);
    expect(await cache.alias(ACCOUNT)).toBeUndefined();
    expect(await cache.alias(ACCOUNT)).toBeUndefined();
    expect(calls).toEqual([ACCOUNT]);
  });

  it('with caching off, reads every time', async () => {
    const { store, calls } = countingStore();
    const cache = new AccountAliasCache(() => store, { maxEntries: 0 });
    await cache.alias(ACCOUNT);
    await cache.alias(ACCOUNT);
    expect(calls).toHaveLength(2);
  });

  it.each<[string, CachedStateChange, boolean]>([
    ['a change of its account (CreateAccountAlias, DeleteAccountAlias)', { scope: 'account', accountId: ACCOUNT }, true],
    ['everything of its account', { scope: 'everything', accountId: ACCOUNT }, true],
    ['everything', { scope: 'everything' }, true],
    ['a change of another account', { scope: 'account', accountId: OTHER }, false],
    ['a principal change', { scope: 'principal', accountId: ACCOUNT, key: `arn:aws:iam::${ACCOUNT}:user/bob` }, false],
    ['an access key change', { scope: 'access-key', accountId: ACCOUNT, key: 'AKIAALICE' }, false],
  ])('after %s, reads the store again: %s', async (_name, change, readsAgain) => {
    // Given an alias read and then replaced in the store
    const { store, calls, aliases } = countingStore();
    const cache = new AccountAliasCache(() => store);
    await cache.alias(ACCOUNT);
    aliases[ACCOUNT] = ['corp-2'];
    // When the change is published, Then the new alias is read only if the change reaches the account
    cache.forget(change);
    expect(await cache.alias(ACCOUNT)).toBe(readsAgain ? 'corp-2' : 'corp');
    expect(calls).toHaveLength(readsAgain ? 2 : 1);
  });
});
