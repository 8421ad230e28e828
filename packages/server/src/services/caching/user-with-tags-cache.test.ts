import { describe, expect, it } from 'vitest';
import type { CachedStateChange } from '../../domain/ports/change-feed.js';
import type { Store, Tag, UserRow } from '../../store/store.js';
import { UserWithTagsCache } from './user-with-tags-cache.js';

const ACCOUNT = '123456789012';
const ARN = `arn:aws:iam::${ACCOUNT}:user/eng/Alice`;
const alice: UserRow = { accountId: ACCOUNT, id: 'AIDAALICE', name: 'Alice', path: '/eng/', arn: ARN, createDate: new Date(0) };

/** A store whose user reads are counted. */
function countingStore(found: { user: UserRow; tags: Tag[] } | null = { user: alice, tags: [{ key: 'team', value: 'a' }] }) {
  const calls: string[] = [];
  const store: Pick<Store, 'getUserWithTags'> = {
    async getUserWithTags(accountId, name) {
      calls.push(`${accountId}/${name}`);
      return found ?? undefined;
    },
  };
  return { store, calls };
}

describe('UserWithTagsCache', () => {
  it('reads a user once, by name in any case, and answers the read value', async () => {
    const cache = new UserWithTagsCache(() => store);
    const { store, calls } = countingStore();
    const first = await cache.load(ACCOUNT, 'Alice');
    expect(await cache.load(ACCOUNT, 'aLICE')).toBe(first);
    expect(first).toEqual({ user: alice, tags: [{ key: 'team', value: 'a' }] });
    expect(calls).toEqual([`${ACCOUNT}/Alice`]);
    expect(cache.stats).toEqual({ entries: 1, hits: 1, misses: 1 });
  });

  it('does not remember a user that is not there (creating it publishes nothing)', async () => {
    const cache = new UserWithTagsCache(() => store);
    const { store, calls } = countingStore(null);
    expect(await cache.load(ACCOUNT, 'ghost')).toBeUndefined();
    expect(await cache.load(ACCOUNT, 'ghost')).toBeUndefined();
    expect(calls).toHaveLength(2);
  });

  it('keeps users of different accounts apart', async () => {
    const cache = new UserWithTagsCache(() => store);
    const { store, calls } = countingStore();
    await cache.load(ACCOUNT, 'Alice');
    await cache.load('210987654321', 'Alice');
    expect(calls).toEqual([`${ACCOUNT}/Alice`, '210987654321/Alice']);
  });

  it.each<[string, CachedStateChange, boolean]>([
    ['a change of the user (rename, move, boundary, deletion, password use)', { scope: 'principal', accountId: ACCOUNT, key: ARN }, true],
    ['a change of its tags', { scope: 'principal', accountId: ACCOUNT, key: ARN, tagsOnly: true }, true],
    ['a change of its account', { scope: 'account', accountId: ACCOUNT }, true],
    ['everything of its account', { scope: 'everything', accountId: ACCOUNT }, true],
    ['everything', { scope: 'everything' }, true],
    ['a change of another user', { scope: 'principal', accountId: ACCOUNT, key: `arn:aws:iam::${ACCOUNT}:user/bob` }, false],
    ['a change of another account', { scope: 'account', accountId: '210987654321' }, false],
    ['an access key change', { scope: 'access-key', accountId: ACCOUNT, key: 'AKIAALICE' }, false],
    ['a managed policy change', { scope: 'policy', accountId: ACCOUNT, key: `arn:aws:iam::${ACCOUNT}:policy/p` }, false],
  ])('after %s, reads the store again: %s', async (_name, change, readsAgain) => {
    const cache = new UserWithTagsCache(() => store);
    const { store, calls } = countingStore();
    await cache.load(ACCOUNT, 'alice');
    cache.forget(change);
    await cache.load(ACCOUNT, 'alice');
    expect(calls).toHaveLength(readsAgain ? 2 : 1);
  });

  it('answers a read that raced with a change to its own caller, but does not keep it', async () => {
    const { store, calls } = countingStore();
    let race = true;
    const racing: Pick<Store, 'getUserWithTags'> = {
      async getUserWithTags(accountId, name) {
        const found = await store.getUserWithTags(accountId, name);
        // The first read's rows are from before a change that is published while it runs.
        if (race) cache.forget({ scope: 'principal', accountId: ACCOUNT, key: ARN, tagsOnly: true });
        race = false;
        return found;
      },
    };
    const cache = new UserWithTagsCache(() => racing);
    expect((await cache.load(ACCOUNT, 'alice'))?.user).toEqual(alice);
    await cache.load(ACCOUNT, 'alice');
    await cache.load(ACCOUNT, 'alice');
    expect(calls).toHaveLength(2);
  });

  it('with 0 entries, reads the store every time', async () => {
    const cache = new UserWithTagsCache(() => store, { maxEntries: 0 });
    const { store, calls } = countingStore();
    await cache.load(ACCOUNT, 'alice');
    await cache.load(ACCOUNT, 'alice');
    expect(calls).toHaveLength(2);
  });
});
