import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError, StoreInvalidCursorError } from '../store-errors.js';
import type { Page, PageRequest, Store } from '../store.js';
import { ACCOUNT, allPages, newGroup, newPolicy, newRole, newUser, OTHER_ACCOUNT, settle, uid, type ContractScope } from './fixtures.js';

/** The store contract: what users, groups, roles and managed policies share: unique names, paging in name order. */
export function namedEntityContract({ test, current }: ContractScope): void {
  describe('names are unique per account, case-insensitively', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    const kinds: Array<{ kind: string; create: (s: Store, name: string, account?: string) => Promise<unknown> }> = [
      { kind: 'user', create: (s, name, account) => s.createUser(newUser(name, { accountId: account ?? ACCOUNT })) },
      { kind: 'group', create: (s, name, account) => s.createGroup(newGroup(name, '/', account)) },
      { kind: 'role', create: (s, name, account) => s.createRole(newRole(name, { accountId: account ?? ACCOUNT })) },
      { kind: 'policy', create: (s, name, account) => s.createPolicy({ ...newPolicy(name, '/', account), arn: `arn:aws:iam::${account ?? ACCOUNT}:policy/${name}-${uid('')}` }) },
    ];
    for (const { kind, create } of kinds) {
      test(`${kind}: same name in another case conflicts, another account does not`, async () => {
        await create(store, 'Deploy');
        const error = await create(store, 'dEPLOY').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreConflictError);
        expect((error as StoreConflictError).kind).toBe('conflict');
        await expect(create(store, 'Deploy', OTHER_ACCOUNT)).resolves.toBeDefined();
      });
    }

    test('two concurrent creates of one name leave one row', async () => {
      const { ok, errors } = await settle([store.createUser(newUser('Bob')), store.createUser(newUser('bob')), store.createUser(newUser('BOB'))]);
      expect(ok).toHaveLength(1);
      expect(errors).toHaveLength(2);
      for (const e of errors) expect(e).toBeInstanceOf(StoreConflictError);
    });
  });

  // ---------------------------------------------------------------------------------------
  describe('paging', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    const listings: Array<{ kind: string; create: (s: Store, name: string, path: string) => Promise<unknown>; list: (s: Store, r: PageRequest & { pathPrefix?: string }) => Promise<Page<{ name: string }>> }> = [
      { kind: 'users', create: (s, n, p) => s.createUser(newUser(n, { path: p })), list: (s, r) => s.listUsers({ accountId: ACCOUNT, ...r }) },
      { kind: 'groups', create: (s, n, p) => s.createGroup(newGroup(n, p)), list: (s, r) => s.listGroups({ accountId: ACCOUNT, ...r }) },
      { kind: 'roles', create: (s, n, p) => s.createRole(newRole(n, { path: p })), list: (s, r) => s.listRoles({ accountId: ACCOUNT, ...r }) },
      { kind: 'policies', create: (s, n, p) => s.createPolicy(newPolicy(n, p)), list: (s, r) => s.listPolicies({ accountId: ACCOUNT, ...r }) },
    ];
    for (const { kind, create, list } of listings) {
      test(`${kind}: marker/maxItems pages in name order, pathPrefix filters`, async () => {
        const names = ['delta', 'Alpha', 'charlie', 'Echo', 'bravo', 'foxtrot', 'golf'];
        for (const [i, name] of names.entries()) await create(store, name, i % 2 === 0 ? '/team_a/' : '/team%b/');
        const { pages, items } = await allPages((r) => list(store, r), 3);
        expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
        expect(items.map((i) => i.name)).toEqual(['Alpha', 'bravo', 'charlie', 'delta', 'Echo', 'foxtrot', 'golf']);
        const filtered = await list(store, { pathPrefix: '/team%' });
        expect(filtered.items.map((i) => i.name)).toEqual(['Alpha', 'Echo', 'foxtrot']);
        expect(filtered.isTruncated).toBe(false);
        expect((await list(store, { pathPrefix: '/team_' })).items.map((i) => i.name)).toEqual(['bravo', 'charlie', 'delta', 'golf']);
        expect((await list(store, { pathPrefix: '/' })).items).toHaveLength(7);
        expect((await list(store, {})).items).toHaveLength(7);
        expect((await list(store, { pathPrefix: '/TEAM' })).items).toEqual([]);
        await create(store, 'hotel', '/back\\slash/');
        expect((await list(store, { pathPrefix: '/back\\' })).items.map((i) => i.name)).toEqual(['hotel']);
        expect((await list(store, { pathPrefix: '/back\\s' })).items.map((i) => i.name)).toEqual(['hotel']);
        await expect(list(store, { marker: 'not-a-marker' })).rejects.toBeInstanceOf(StoreInvalidCursorError);
      });
    }

    // PostgreSQL reads a listing's page as one JSON text (`postgres/postgres-pages.ts`): every value comes
    // back as stored, text JSON escapes included, times and counts as numbers, on the pool and in a
    // transaction alike.
    test('a listed user or policy is the row read by id, whatever its text holds', async () => {
      const odd = 'q"u\\o\u00e9\u{1F600}\n\t\u0001</x>&';
      const user = await store.createUser(newUser(`U${odd}`, { path: `/p${odd}/`, permissionsBoundaryArn: `arn:${odd}`, createDate: new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 123)) }));
      await store.recordUserPasswordUse(user.id, new Date(Date.UTC(2025, 0, 1)));
      await store.createUser(newUser('plain'));
      const policy = await store.createPolicy({ ...newPolicy(`P${odd}`, `/p${odd}/`), description: odd });
      await store.createPolicy(newPolicy('plain'));
      await store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: user.id }, policyArn: policy.arn });
      const listed = async (s: Pick<Store, 'listUsers' | 'listPolicies'>) => ({
        users: (await s.listUsers({ accountId: ACCOUNT })).items,
        policies: (await s.listPolicies({ accountId: ACCOUNT })).items,
      });
      const expected = {
        users: [(await store.getUserById(user.id))!, (await store.getUserByName(ACCOUNT, 'plain'))!].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1)),
        policies: [(await store.getPolicyById(policy.id))!, (await store.getPolicyByArn(newPolicy('plain').arn))!].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1)),
      };
      expect(expected.users[1]).toMatchObject({ path: `/p${odd}/`, permissionsBoundaryArn: `arn:${odd}`, passwordLastUsed: new Date(Date.UTC(2025, 0, 1)) });
      expect(expected.policies[1]).toMatchObject({ description: odd, attachmentCount: 1 });
      expect(await listed(store)).toEqual(expected);
      expect(await store.transaction((tx) => listed(tx))).toEqual(expected);
      expect(await store.listUsers({ accountId: OTHER_ACCOUNT })).toEqual({ items: [], isTruncated: false });
      expect(await store.listPolicies({ accountId: OTHER_ACCOUNT })).toEqual({ items: [], isTruncated: false });
    });

    test('a marker of one listing is refused by another', async () => {
      for (const n of ['a', 'b', 'c']) await store.createUser(newUser(n));
      const page = await store.listUsers({ accountId: ACCOUNT, maxItems: 1 });
      await expect(store.listGroups({ accountId: ACCOUNT, marker: page.marker! })).rejects.toBeInstanceOf(StoreInvalidCursorError);
    });
  });
}
