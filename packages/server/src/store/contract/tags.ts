import { beforeEach, describe, expect } from 'vitest';
import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { Store } from '../store.js';
import { allPages, at, newPolicy, newRole, newUser, type ContractScope } from './fixtures.js';

/** The store contract: tags and their case rules. */
export function tagContract({ test, current }: ContractScope): void {
  describe('tags', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('kept in insertion order; user keys are case-insensitive, case preserved', async () => {
      const u = await store.createUser(newUser('u'));
      const target = { kind: 'user', id: u.id } as const;
      await store.putTags(target, [{ key: 'Department', value: 'finance' }, { key: 'b', value: '1' }, { key: 'a', value: '' }]);
      await store.putTags(target, [{ key: 'department', value: 'hr' }]);
      expect((await store.listTags(target)).items).toEqual([{ key: 'department', value: 'hr' }, { key: 'b', value: '1' }, { key: 'a', value: '' }]);
      const paged = await allPages((r) => store.listTags(target, r), 2);
      expect(paged.pages.map((p) => p.length)).toEqual([2, 1]);
      expect(await store.removeTags(target, ['DEPARTMENT', 'missing'])).toBe(1);
      expect((await store.listTags(target)).items.map((x) => x.key)).toEqual(['b', 'a']);
    });

    test('policy tag keys are case-sensitive', async () => {
      const p = await store.createPolicy(newPolicy('p'));
      const target = { kind: 'policy', id: p.id } as const;
      await store.putTags(target, [{ key: 'Env', value: 'a' }, { key: 'env', value: 'b' }]);
      expect((await store.listTags(target)).items).toEqual([{ key: 'Env', value: 'a' }, { key: 'env', value: 'b' }]);
      expect(await store.removeTags(target, ['ENV'])).toBe(0);
    });

    test('at most 50 tags (default); replacing at the limit is fine; missing target refused', async () => {
      const r = await store.createRole(newRole('r'));
      const target = { kind: 'role', id: r.id } as const;
      await store.putTags(target, Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' })));
      await store.putTags(target, [{ key: 'K7', value: 'replaced' }]);
      await expect(store.putTags(target, [{ key: 'one-more', value: 'v' }])).rejects.toMatchObject({ kind: 'limit', quota: 'tagsPerResource', limit: 50 });
      const tags = (await store.listTags(target)).items;
      expect(tags).toHaveLength(50);
      expect(tags[7]).toEqual({ key: 'K7', value: 'replaced' });
      await expect(store.putTags(target, [{ key: 'a', value: 'b' }, { key: 'c', value: 'd' }], { maxTags: 51 })).rejects.toBeInstanceOf(StoreLimitError);
      await expect(store.putTags({ kind: 'user', id: 'AIDANOPE' }, [{ key: 'a', value: 'b' }])).rejects.toBeInstanceOf(StoreReferenceError);
    });
  });
}
