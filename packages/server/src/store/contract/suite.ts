import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, chainHash } from '../../audit/chain-hash.js';
import {
  StoreConflictError,
  StoreInvalidCursorError,
  StoreLimitError,
  StoreReferenceError,
} from '../store-errors.js';
import type {
  AuditEventRow,
  AuditLookupAttribute,
  EntityRef,
  NewAuditEvent,
  NewRole,
  NewUser,
  Page,
  PageRequest,
  Store,
} from '../store.js';
import type { TestStore } from '../testing.js';

/** Options of `runStoreContract`. */
export interface StoreContractOptions {
  /** Names the suite, e.g. `sqlite`. */
  name: string;
  /** A fresh, isolated store per test (see `createTestStore`). */
  newStore: () => Promise<TestStore>;
  /** Tests a dialect cannot pass yet, with the reason; each name is a test title. */
  skip?: Array<{ reason: string; tests: string[] }>;
}

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const T0 = Date.parse('2026-01-02T03:04:05.678Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

let counter = 0;
/** A unique id with an AWS prefix (unique across the whole run, like real ids). */
const uid = (prefix: string) => `${prefix}${String(++counter).padStart(6, '0')}TEST${Math.random().toString(36).slice(2, 9).toUpperCase()}`;

function newUser(name: string, over: Partial<NewUser> = {}): NewUser {
  const path = over.path ?? '/';
  const accountId = over.accountId ?? ACCOUNT;
  return { accountId, id: uid('AIDA'), name, path, arn: `arn:aws:iam::${accountId}:user${path}${name}`, createDate: at(0), ...over };
}

function newGroup(name: string, path = '/', accountId = ACCOUNT) {
  return { accountId, id: uid('AGPA'), name, path, arn: `arn:aws:iam::${accountId}:group${path}${name}`, createDate: at(0) };
}

const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

function newRole(name: string, over: Partial<NewRole> = {}): NewRole {
  const path = over.path ?? '/';
  const accountId = over.accountId ?? ACCOUNT;
  return {
    accountId, id: uid('AROA'), name, path, arn: `arn:aws:iam::${accountId}:role${path}${name}`, createDate: at(0),
    assumeRolePolicyDocument: TRUST, maxSessionDuration: 3600, ...over,
  };
}

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

function newPolicy(name: string, path = '/', accountId = ACCOUNT) {
  return { accountId, id: uid('ANPA'), name, path, arn: `arn:aws:iam::${accountId}:policy${path}${name}`, document: doc('s3:GetObject'), createDate: at(0) };
}

function auditEvent(i: number, over: Partial<NewAuditEvent> = {}): NewAuditEvent {
  const eventId = over.eventId ?? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    eventId,
    accountId: ACCOUNT,
    eventTime: at(i),
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    readOnly: true,
    resources: [],
    recordJson: JSON.stringify({ eventVersion: '1.08', eventID: eventId, n: i }),
    ...over,
  };
}

/** Checks seqs are consecutive and every hash links to the previous one. */
function expectLinearChain(rows: AuditEventRow[], start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }) {
  let prev = start;
  for (const row of rows) {
    expect(row.seq).toBe(prev.seq + 1);
    expect(row.prevHash).toBe(prev.hash);
    expect(row.hash).toBe(chainHash(prev.hash, row.seq, row.eventId, row.recordJson));
    prev = { seq: row.seq, hash: row.hash };
  }
}

/** Reads every page of a listing. */
async function allPages<T>(list: (page: PageRequest) => Promise<Page<T>>, maxItems: number): Promise<{ pages: T[][]; items: T[] }> {
  const pages: T[][] = [];
  let marker: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await list({ maxItems, ...(marker ? { marker } : {}) });
    pages.push(page.items);
    expect(page.isTruncated).toBe(page.marker !== undefined);
    if (!page.isTruncated) return { pages, items: pages.flat() };
    marker = page.marker;
  }
  throw new Error('paging did not terminate');
}

async function settle<T>(promises: Array<Promise<T>>) {
  const results = await Promise.allSettled(promises);
  return {
    ok: results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled').map((r) => r.value),
    errors: results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown),
  };
}

/**
 * The store contract: every `Store` implementation must pass it. Each dialect's test file calls it
 * once; each test gets a fresh store from `newStore`.
 */
export function runStoreContract(options: StoreContractOptions): void {
  const skipped = new Set((options.skip ?? []).flatMap((s) => s.tests));
  const test = (title: string, fn: () => Promise<void>) => (skipped.has(title) ? it.skip(title, fn) : it(title, fn));

  describe(`store contract: ${options.name}`, () => {
    let t: TestStore;
    let store: Store;

    beforeEach(async () => {
      t = await options.newStore();
      store = t.store;
      await store.createAccount({ id: ACCOUNT, createDate: at(0) });
      await store.createAccount({ id: OTHER_ACCOUNT, createDate: at(0) });
    });

    afterEach(async () => {
      await t?.dispose();
    });

    // ---------------------------------------------------------------------------------------
    describe('accounts and meta', () => {
      test('creates, reads, lists and updates accounts', async () => {
        expect(await store.getAccount(ACCOUNT)).toEqual({ id: ACCOUNT, createDate: at(0), settingsJson: '{}' });
        expect(await store.getAccount('000000000000')).toBeUndefined();
        expect((await store.listAccounts()).map((a) => a.id)).toEqual([OTHER_ACCOUNT, ACCOUNT].sort());
        await expect(store.createAccount({ id: ACCOUNT, createDate: at(1) })).rejects.toBeInstanceOf(StoreConflictError);

        const policy = '{"MinimumPasswordLength":14}';
        expect((await store.updateAccount(ACCOUNT, { passwordPolicyJson: policy, settingsJson: '{"a":1}' }))).toMatchObject({ passwordPolicyJson: policy, settingsJson: '{"a":1}' });
        const cleared = await store.updateAccount(ACCOUNT, { passwordPolicyJson: null });
        expect(cleared?.passwordPolicyJson).toBeUndefined();
        expect(cleared?.settingsJson).toBe('{"a":1}');
        expect(await store.updateAccount('000000000000', { settingsJson: '{}' })).toBeUndefined();
      });

      test('aliases are globally unique, case-insensitively', async () => {
        await store.createAccountAlias(ACCOUNT, 'my-corp', at(1));
        expect(await store.listAccountAliases(ACCOUNT)).toEqual(['my-corp']);
        expect(await store.getAccountIdByAlias('MY-CORP')).toBe(ACCOUNT);
        await expect(store.createAccountAlias(OTHER_ACCOUNT, 'My-Corp', at(1))).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.deleteAccountAlias(OTHER_ACCOUNT, 'my-corp')).toBe(false);
        expect(await store.deleteAccountAlias(ACCOUNT, 'my-corp')).toBe(true);
        expect(await store.listAccountAliases(ACCOUNT)).toEqual([]);
        expect(await store.getAccountIdByAlias('my-corp')).toBeUndefined();
      });

      test('meta is a key/value table', async () => {
        expect(await store.getMeta('k')).toBeUndefined();
        await store.setMeta('k', 'v1');
        await store.setMeta('k', 'v2');
        expect(await store.getMeta('k')).toBe('v2');
        expect(await store.deleteMeta('k')).toBe(true);
        expect(await store.deleteMeta('k')).toBe(false);
      });

      test('account usage counts stored rows', async () => {
        const u = await store.createUser(newUser('u1'));
        await store.createUser(newUser('u2'));
        await store.createUser(newUser('elsewhere', { accountId: OTHER_ACCOUNT }));
        await store.createGroup(newGroup('g'));
        await store.createRole(newRole('r'));
        const p = await store.createPolicy(newPolicy('p'));
        await store.createPolicyVersion({ policyId: p.id, document: doc('s3:*'), setAsDefault: false, createDate: at(1) });
        await store.createPolicy(newPolicy('unused'));
        await store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: u.id }, policyArn: p.arn });
        await store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: u.id }, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
        await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'root' }, secretAccessKey: 'root-secret-0000000000000000000000000000', status: 'Active', createDate: at(1) });
        await store.createLoginProfile({ accountId: ACCOUNT, userId: u.id, passwordHash: '$argon2id$x', passwordResetRequired: false, createDate: at(1) });
        expect(await store.getAccountUsage(ACCOUNT)).toEqual({
          users: 2, groups: 1, roles: 1, policies: 2, policyVersions: 3, policyVersionsInUse: 2, attachedPolicies: 2, rootAccessKeys: 1, loginProfiles: 1,
        });
      });
    });

    // ---------------------------------------------------------------------------------------
    describe('users', () => {
      test('creates and reads a user by id and by name in any case', async () => {
        const input = newUser('Alice', { path: '/eng/', permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
        const created = await store.createUser(input);
        const expected = { ...input };
        expect(created).toEqual(expected);
        expect(await store.getUserById(input.id)).toEqual(expected);
        expect(await store.getUserByName(ACCOUNT, 'aLICE')).toEqual(expected);
        expect(await store.getUserByName(OTHER_ACCOUNT, 'alice')).toBeUndefined();
        expect(await store.getUserById('AIDANOPE')).toBeUndefined();
      });

      test('updates: rename, move, boundary set and clear; rename onto a taken name conflicts', async () => {
        const bob = await store.createUser(newUser('bob'));
        await store.createUser(newUser('carol'));
        const renamed = await store.updateUser(bob.id, { name: 'Robert', path: '/x/', arn: `arn:aws:iam::${ACCOUNT}:user/x/Robert`, permissionsBoundaryArn: 'arn:b' });
        expect(renamed).toMatchObject({ name: 'Robert', path: '/x/', arn: `arn:aws:iam::${ACCOUNT}:user/x/Robert`, permissionsBoundaryArn: 'arn:b' });
        expect(await store.getUserByName(ACCOUNT, 'robert')).toMatchObject({ id: bob.id });
        expect(await store.getUserByName(ACCOUNT, 'bob')).toBeUndefined();
        expect((await store.updateUser(bob.id, { permissionsBoundaryArn: null }))?.permissionsBoundaryArn).toBeUndefined();
        await expect(store.updateUser(bob.id, { name: 'CAROL' })).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.updateUser('AIDANOPE', { path: '/' })).toBeUndefined();
      });

      test('password last used never moves backwards', async () => {
        const u = await store.createUser(newUser('u'));
        await store.recordUserPasswordUse(u.id, at(10));
        await store.recordUserPasswordUse(u.id, at(5));
        expect((await store.getUserById(u.id))?.passwordLastUsed).toEqual(at(10));
      });

      test('deleting a user with dependents is refused; its tags go with it', async () => {
        const u = await store.createUser(newUser('u'));
        const key = uid('AKIA');
        await store.putTags({ kind: 'user', id: u.id }, [{ key: 'team', value: 'a' }]);
        await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: key, owner: { kind: 'user', userId: u.id }, secretAccessKey: 's'.repeat(40), status: 'Active', createDate: at(1) });
        await expect(store.deleteUser(u.id)).rejects.toBeInstanceOf(StoreReferenceError);
        expect(await store.getUserById(u.id)).toBeDefined();
        expect(await store.deleteAccessKey(key)).toBe(true);
        expect(await store.deleteUser(u.id)).toBe(true);
        expect(await store.deleteUser(u.id)).toBe(false);
        expect((await store.listTags({ kind: 'user', id: u.id })).items).toEqual([]);
      });

      const dependents: Array<{ name: string; add: (s: Store, userId: string) => Promise<unknown> }> = [
        { name: 'login profile', add: (s, userId) => s.createLoginProfile({ accountId: ACCOUNT, userId, passwordHash: '$argon2id$h', passwordResetRequired: true, createDate: at(1) }) },
        { name: 'group membership', add: async (s, userId) => s.addUserToGroup({ groupId: (await s.createGroup(newGroup('g'))).id, userId }) },
        { name: 'inline policy', add: (s, userId) => s.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: userId }, name: 'p', document: doc('s3:*') }) },
        { name: 'attached policy', add: (s, userId) => s.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: userId }, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }) },
      ];
      for (const dependent of dependents) {
        test(`deleting a user with a ${dependent.name} is refused`, async () => {
          const u = await store.createUser(newUser('u'));
          await dependent.add(store, u.id);
          await expect(store.deleteUser(u.id)).rejects.toBeInstanceOf(StoreReferenceError);
        });
      }
    });

    // ---------------------------------------------------------------------------------------
    describe('names are unique per account, case-insensitively', () => {
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
          await expect(list(store, { marker: 'not-a-marker' })).rejects.toBeInstanceOf(StoreInvalidCursorError);
        });
      }

      test('a marker of one listing is refused by another', async () => {
        for (const n of ['a', 'b', 'c']) await store.createUser(newUser(n));
        const page = await store.listUsers({ accountId: ACCOUNT, maxItems: 1 });
        await expect(store.listGroups({ accountId: ACCOUNT, marker: page.marker! })).rejects.toBeInstanceOf(StoreInvalidCursorError);
      });
    });

    // ---------------------------------------------------------------------------------------
    describe('groups', () => {
      test('membership: idempotent add, remove, both directions, paging', async () => {
        const g = await store.createGroup(newGroup('admins'));
        const users = [];
        for (const n of ['u3', 'u1', 'u2']) users.push(await store.createUser(newUser(n)));
        for (const u of users) expect(await store.addUserToGroup({ groupId: g.id, userId: u.id })).toBe(true);
        expect(await store.addUserToGroup({ groupId: g.id, userId: users[0]!.id })).toBe(false);
        const { items } = await allPages((r) => store.listGroupMembers(g.id, r), 2);
        expect(items.map((u) => u.name)).toEqual(['u1', 'u2', 'u3']);
        expect((await store.listGroupsForUser(users[0]!.id)).items.map((x) => x.name)).toEqual(['admins']);
        expect(await store.removeUserFromGroup({ groupId: g.id, userId: users[0]!.id })).toBe(true);
        expect(await store.removeUserFromGroup({ groupId: g.id, userId: users[0]!.id })).toBe(false);
        expect(await store.listAllGroupsForUser(users[0]!.id)).toEqual([]);
        await expect(store.addUserToGroup({ groupId: 'AGPANOPE', userId: users[0]!.id })).rejects.toBeInstanceOf(StoreReferenceError);
      });

      test('groups per user quota is atomic', async () => {
        const u = await store.createUser(newUser('u'));
        const groups = [];
        for (let i = 0; i < 6; i++) groups.push(await store.createGroup(newGroup(`g${i}`)));
        const { ok, errors } = await settle(groups.map((g) => store.addUserToGroup({ groupId: g.id, userId: u.id, maxGroupsPerUser: 4 })));
        expect(ok).toHaveLength(4);
        expect(errors).toHaveLength(2);
        for (const e of errors) expect(e).toMatchObject({ kind: 'limit', quota: 'groupsPerUser', limit: 4 });
        expect(await store.listAllGroupsForUser(u.id)).toHaveLength(4);
      });

      test('update and delete; a group with members cannot be deleted', async () => {
        const g = await store.createGroup(newGroup('devs'));
        const u = await store.createUser(newUser('u'));
        expect(await store.updateGroup(g.id, { name: 'Developers', path: '/d/', arn: 'arn:new' })).toMatchObject({ name: 'Developers', path: '/d/', arn: 'arn:new' });
        expect(await store.getGroupByName(ACCOUNT, 'developers')).toMatchObject({ id: g.id });
        await store.addUserToGroup({ groupId: g.id, userId: u.id });
        await expect(store.deleteGroup(g.id)).rejects.toBeInstanceOf(StoreReferenceError);
        await store.removeUserFromGroup({ groupId: g.id, userId: u.id });
        expect(await store.deleteGroup(g.id)).toBe(true);
        expect(await store.getGroupById(g.id)).toBeUndefined();
      });
    });

    // ---------------------------------------------------------------------------------------
    describe('roles', () => {
      test('creates, reads, updates and deletes a role', async () => {
        const input = newRole('Deployer', { description: 'ci', maxSessionDuration: 7200 });
        expect(await store.createRole(input)).toEqual(input);
        expect(await store.getRoleByName(ACCOUNT, 'deployer')).toEqual(input);
        const updated = await store.updateRole(input.id, { description: null, maxSessionDuration: 43200, assumeRolePolicyDocument: '{}', permissionsBoundaryArn: 'arn:b' });
        expect(updated).toMatchObject({ maxSessionDuration: 43200, assumeRolePolicyDocument: '{}', permissionsBoundaryArn: 'arn:b' });
        expect(updated?.description).toBeUndefined();
        await store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'role', id: input.id }, name: 'p', document: doc('s3:*') });
        await expect(store.deleteRole(input.id)).rejects.toBeInstanceOf(StoreReferenceError);
        await store.deleteInlinePolicy({ kind: 'role', id: input.id }, 'P');
        expect(await store.deleteRole(input.id)).toBe(true);
        expect(await store.getRoleById(input.id)).toBeUndefined();
      });

      test('role last used: batched, latest wins, never backwards', async () => {
        const a = await store.createRole(newRole('a'));
        const b = await store.createRole(newRole('b'));
        await store.recordRoleUse([
          { roleId: a.id, usedAt: at(5), region: 'us-east-1' },
          { roleId: a.id, usedAt: at(9), region: 'eu-west-1' },
          { roleId: a.id, usedAt: at(7), region: 'ap-south-1' },
          { roleId: b.id, usedAt: at(3), region: 'us-west-2' },
          { roleId: 'AROAGONE', usedAt: at(3), region: 'us-west-2' },
        ]);
        await store.recordRoleUse([{ roleId: a.id, usedAt: at(1), region: 'sa-east-1' }]);
        expect(await store.getRoleById(a.id)).toMatchObject({ lastUsedDate: at(9), lastUsedRegion: 'eu-west-1' });
        expect(await store.getRoleById(b.id)).toMatchObject({ lastUsedDate: at(3), lastUsedRegion: 'us-west-2' });
      });
    });

    // ---------------------------------------------------------------------------------------
    describe('managed policies', () => {
      test('create gives a default v1; get by arn and id', async () => {
        const input = { ...newPolicy('ReadS3', '/app/'), description: 'read' };
        const created = await store.createPolicy(input);
        expect(created).toEqual({
          accountId: ACCOUNT, id: input.id, name: 'ReadS3', path: '/app/', arn: input.arn, description: 'read',
          defaultVersionId: 'v1', createDate: at(0), updateDate: at(0), attachmentCount: 0, permissionsBoundaryUsageCount: 0,
        });
        expect(await store.getPolicyByArn(input.arn)).toEqual(created);
        expect(await store.getPolicyById(input.id)).toEqual(created);
        expect(await store.getPolicyVersion(input.id, 'v1')).toEqual({ policyId: input.id, versionId: 'v1', document: input.document, isDefaultVersion: true, createDate: at(0) });
        expect(await store.getPolicyByArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBeUndefined();
      });

      test('versions: at most 5, ids never reused, default handling, newest first', async () => {
        const p = await store.createPolicy(newPolicy('p'));
        for (let i = 2; i <= 5; i++) {
          const v = await store.createPolicyVersion({ policyId: p.id, document: doc(`s3:V${i}`), setAsDefault: i === 3, createDate: at(i) });
          expect(v).toMatchObject({ versionId: `v${i}`, isDefaultVersion: i === 3, createDate: at(i) });
        }
        await expect(store.createPolicyVersion({ policyId: p.id, document: doc('x:y'), setAsDefault: false, createDate: at(6) }))
          .rejects.toMatchObject({ kind: 'limit', quota: 'policyVersions', limit: 5 });
        expect(await store.getPolicyById(p.id)).toMatchObject({ defaultVersionId: 'v3', updateDate: at(5) });
        expect(await store.deletePolicyVersion(p.id, 'v3')).toBe(false);
        expect(await store.deletePolicyVersion(p.id, 'v5')).toBe(true);
        expect(await store.deletePolicyVersion(p.id, 'v5')).toBe(false);
        expect((await store.getPolicyById(p.id))?.updateDate).toEqual(at(4));
        const v6 = await store.createPolicyVersion({ policyId: p.id, document: doc('s3:V6'), setAsDefault: false, createDate: at(6) });
        expect(v6.versionId).toBe('v6');
        expect(await store.setDefaultPolicyVersion(p.id, 'v6')).toBe(true);
        expect(await store.setDefaultPolicyVersion(p.id, 'v5')).toBe(false);
        const { pages, items } = await allPages((r) => store.listPolicyVersions(p.id, r), 2);
        expect(pages.map((x) => x.length)).toEqual([2, 2, 1]);
        expect(items.map((v) => `${v.versionId}${v.isDefaultVersion ? '*' : ''}`)).toEqual(['v6*', 'v4', 'v3', 'v2', 'v1']);
        expect((await store.getDefaultPolicyDocuments([p.arn, 'arn:aws:iam::aws:policy/X'])).get(p.arn)).toEqual({ policyId: p.id, versionId: 'v6', document: doc('s3:V6') });
        await expect(store.createPolicyVersion({ policyId: 'ANPANOPE', document: '{}', setAsDefault: false, createDate: at(1) })).rejects.toBeInstanceOf(StoreReferenceError);
      });

      test('the version quota holds under concurrent creates', async () => {
        const p = await store.createPolicy(newPolicy('p'));
        const { ok, errors } = await settle(Array.from({ length: 8 }, (_, i) =>
          store.createPolicyVersion({ policyId: p.id, document: doc(`s3:C${i}`), setAsDefault: false, createDate: at(i + 1) })));
        expect(ok.map((v) => v.versionId).sort()).toEqual(['v2', 'v3', 'v4', 'v5']);
        expect(errors).toHaveLength(4);
        for (const e of errors) expect(e).toBeInstanceOf(StoreLimitError);
      });

      test('attachments: idempotent, counted, quota, customer and AWS-managed, detach', async () => {
        const u = await store.createUser(newUser('u'));
        const p = await store.createPolicy(newPolicy('Mine', '/team/'));
        const user: EntityRef = { kind: 'user', id: u.id };
        const aws = 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess';
        expect(await store.attachPolicy({ accountId: ACCOUNT, entity: user, policyArn: p.arn, maxAttached: 2 })).toBe(true);
        expect(await store.attachPolicy({ accountId: ACCOUNT, entity: user, policyArn: p.arn, maxAttached: 2 })).toBe(false);
        expect(await store.attachPolicy({ accountId: ACCOUNT, entity: user, policyArn: aws, maxAttached: 2 })).toBe(true);
        await expect(store.attachPolicy({ accountId: ACCOUNT, entity: user, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', maxAttached: 2 }))
          .rejects.toMatchObject({ kind: 'limit', quota: 'attachedPoliciesPerEntity', limit: 2 });
        expect((await store.getPolicyById(p.id))?.attachmentCount).toBe(1);
        const { items } = await allPages((r) => store.listAttachedPolicies(user, r), 1);
        expect(items).toEqual([
          { accountId: ACCOUNT, entity: user, policyArn: p.arn, policyName: 'Mine', policyPath: '/team/' },
          { accountId: ACCOUNT, entity: user, policyArn: aws, policyName: 'ViewOnlyAccess', policyPath: '/job-function/' },
        ]);
        expect((await store.listAttachedPolicies(user, { pathPrefix: '/job' })).items.map((a) => a.policyName)).toEqual(['ViewOnlyAccess']);
        await expect(store.deletePolicy(p.id)).rejects.toBeInstanceOf(StoreReferenceError);
        expect(await store.detachPolicy({ entity: user, policyArn: p.arn })).toBe(true);
        expect(await store.detachPolicy({ entity: user, policyArn: p.arn })).toBe(false);
        await store.putTags({ kind: 'policy', id: p.id }, [{ key: 'k', value: 'v' }]);
        expect(await store.deletePolicy(p.id)).toBe(true);
        expect(await store.getPolicyVersion(p.id, 'v1')).toBeUndefined();
        expect((await store.listTags({ kind: 'policy', id: p.id })).items).toEqual([]);
        await expect(store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'role', id: 'AROANOPE' }, policyArn: aws })).rejects.toBeInstanceOf(StoreReferenceError);
      });

      test('listAllAttachedPolicies, usage counts, entities for policy, listPolicies filters', async () => {
        const u = await store.createUser(newUser('zed'));
        const u2 = await store.createUser(newUser('amy', { path: '/ops/' }));
        const g = await store.createGroup(newGroup('grp'));
        const p = await store.createPolicy(newPolicy('Shared'));
        const b = await store.createPolicy(newPolicy('Boundary'));
        await store.createPolicy(newPolicy('Unused'));
        const r = await store.createRole(newRole('role1', { permissionsBoundaryArn: b.arn }));
        await store.updateUser(u2.id, { permissionsBoundaryArn: b.arn });
        const aws = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
        for (const entity of [{ kind: 'user', id: u.id }, { kind: 'group', id: g.id }, { kind: 'role', id: r.id }] as EntityRef[]) {
          await store.attachPolicy({ accountId: ACCOUNT, entity, policyArn: p.arn });
        }
        await store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: u.id }, policyArn: aws });

        expect((await store.listAllAttachedPolicies([{ kind: 'user', id: u.id }, { kind: 'group', id: g.id }])).map((a) => `${a.entity.kind}:${a.policyName}`).sort())
          .toEqual(['group:Shared', 'user:ReadOnlyAccess', 'user:Shared']);
        expect(await store.getPolicyById(p.id)).toMatchObject({ attachmentCount: 3, permissionsBoundaryUsageCount: 0 });
        expect(await store.getPolicyById(b.id)).toMatchObject({ attachmentCount: 0, permissionsBoundaryUsageCount: 2 });
        const usage = await store.getPolicyUsage(ACCOUNT);
        expect(Object.fromEntries(usage)).toEqual({
          [p.arn]: { attachmentCount: 3, permissionsBoundaryUsageCount: 0 },
          [b.arn]: { attachmentCount: 0, permissionsBoundaryUsageCount: 2 },
          [aws]: { attachmentCount: 1, permissionsBoundaryUsageCount: 0 },
        });
        expect(Object.fromEntries(await store.getPolicyUsage(ACCOUNT, [aws, 'arn:aws:iam::aws:policy/None']))).toEqual({ [aws]: { attachmentCount: 1, permissionsBoundaryUsageCount: 0 } });
        expect((await store.getPolicyUsage(OTHER_ACCOUNT)).size).toBe(0);

        const entities = await allPages((req) => store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: p.arn, ...req }), 2);
        expect(entities.items.map((e) => `${e.kind}:${e.name}`)).toEqual(['group:grp', 'role:role1', 'user:zed']);
        expect((await store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: p.arn, entityFilter: 'user' })).items.map((e) => e.name)).toEqual(['zed']);
        expect((await store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: b.arn, usageFilter: 'PermissionsBoundary' })).items.map((e) => `${e.kind}:${e.name}`)).toEqual(['role:role1', 'user:amy']);
        expect((await store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: b.arn, usageFilter: 'PermissionsPolicy' })).items).toEqual([]);
        expect((await store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: b.arn, pathPrefix: '/ops/' })).items.map((e) => e.name)).toEqual(['amy']);

        expect((await store.listPolicies({ accountId: ACCOUNT, onlyAttached: true })).items.map((x) => x.name)).toEqual(['Shared']);
        expect((await store.listPolicies({ accountId: ACCOUNT, usageFilter: 'PermissionsBoundary' })).items.map((x) => x.name)).toEqual(['Boundary']);
        expect((await store.listPolicies({ accountId: ACCOUNT, usageFilter: 'PermissionsPolicy' })).items.map((x) => x.name)).toEqual(['Shared']);
        expect((await store.listPolicies({ accountId: ACCOUNT })).items.map((x) => x.name)).toEqual(['Boundary', 'Shared', 'Unused']);
      });
    });

    // ---------------------------------------------------------------------------------------
    describe('inline policies', () => {
      const kinds = ['user', 'group', 'role'] as const;
      for (const kind of kinds) {
        test(`${kind}: put, replace in any case, get, list, delete`, async () => {
          const id = kind === 'user' ? (await store.createUser(newUser('e'))).id
            : kind === 'group' ? (await store.createGroup(newGroup('e'))).id
            : (await store.createRole(newRole('e'))).id;
          const entity: EntityRef = { kind, id };
          await store.putInlinePolicy({ accountId: ACCOUNT, entity, name: 'Read', document: doc('s3:Get*') });
          await store.putInlinePolicy({ accountId: ACCOUNT, entity, name: 'READ', document: doc('s3:List*') });
          await store.putInlinePolicy({ accountId: ACCOUNT, entity, name: 'b', document: doc('ec2:*') });
          await store.putInlinePolicy({ accountId: ACCOUNT, entity, name: 'c', document: doc('sqs:*') });
          expect(await store.getInlinePolicy(entity, 'read')).toEqual({ accountId: ACCOUNT, entity, name: 'READ', document: doc('s3:List*') });
          const { items } = await allPages((r) => store.listInlinePolicies(entity, r), 2);
          expect(items.map((p) => p.name)).toEqual(['b', 'c', 'READ']);
          expect(await store.deleteInlinePolicy(entity, 'Read')).toBe(true);
          expect(await store.deleteInlinePolicy(entity, 'Read')).toBe(false);
          expect(await store.getInlinePolicy(entity, 'read')).toBeUndefined();
        });
      }

      test('listAllInlinePolicies spans entities; names are per entity', async () => {
        const u = await store.createUser(newUser('u'));
        const g = await store.createGroup(newGroup('g'));
        await store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: u.id }, name: 'same', document: doc('a:a') });
        await store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'group', id: g.id }, name: 'same', document: doc('b:b') });
        const all = await store.listAllInlinePolicies([{ kind: 'user', id: u.id }, { kind: 'group', id: g.id }]);
        expect(all.map((p) => `${p.entity.kind}:${p.document}`).sort()).toEqual([`group:${doc('b:b')}`, `user:${doc('a:a')}`]);
        expect(await store.listAllInlinePolicies([])).toEqual([]);
        await expect(store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: 'AIDANOPE' }, name: 'x', document: '{}' })).rejects.toBeInstanceOf(StoreReferenceError);
      });
    });

    // ---------------------------------------------------------------------------------------
    describe('tags', () => {
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

    // ---------------------------------------------------------------------------------------
    describe('access keys and login profiles', () => {
      const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

      test('create, read with and without secret, list, status, delete', async () => {
        const u = await store.createUser(newUser('u'));
        const owner = { kind: 'user', userId: u.id } as const;
        const id1 = uid('AKIA');
        const id2 = uid('AKIA');
        const k1 = await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id1, owner, secretAccessKey: SECRET, status: 'Active', createDate: at(1) });
        expect(k1).toEqual({ accountId: ACCOUNT, accessKeyId: id1, owner, status: 'Active', createDate: at(1) });
        expect(k1).not.toHaveProperty('secretAccessKey');
        await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id2, owner, secretAccessKey: `${SECRET}2`, status: 'Inactive', createDate: at(2) });
        expect(await store.getAccessKey(id1)).toEqual(k1);
        expect((await store.getAccessKeyWithSecret(id1))?.secretAccessKey).toBe(SECRET);
        expect((await store.getAccessKeyWithSecret(id2))?.secretAccessKey).toBe(`${SECRET}2`);
        expect(await store.getAccessKeyWithSecret('AKIANOPE')).toBeUndefined();
        const { pages, items } = await allPages((r) => store.listAccessKeys({ accountId: ACCOUNT, owner, ...r }), 1);
        expect(pages).toHaveLength(2);
        expect(items.map((k) => [k.accessKeyId, k.status])).toEqual([[id1, 'Active'], [id2, 'Inactive']]);
        expect((await store.listAccessKeys({ accountId: ACCOUNT, owner: { kind: 'root' } })).items).toEqual([]);
        expect(await store.updateAccessKeyStatus(id1, 'Inactive')).toBe(true);
        expect(await store.updateAccessKeyStatus('AKIANOPE', 'Inactive')).toBe(false);
        expect((await store.getAccessKey(id1))?.status).toBe('Inactive');
        expect(await store.deleteAccessKey(id1)).toBe(true);
        expect(await store.deleteAccessKey(id1)).toBe(false);
        await expect(store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id2, owner: { kind: 'root' }, secretAccessKey: SECRET, status: 'Active', createDate: at(3) }))
          .rejects.toBeInstanceOf(StoreConflictError);
      });

      test('at most 2 keys per owner, even under concurrent creates', async () => {
        const u = await store.createUser(newUser('u'));
        const { ok, errors } = await settle(Array.from({ length: 5 }, (_, i) => store.createAccessKey({
          accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'user', userId: u.id }, secretAccessKey: `${SECRET}${i}`, status: 'Active', createDate: at(i),
        })));
        expect(ok).toHaveLength(2);
        expect(errors).toHaveLength(3);
        for (const e of errors) expect(e).toMatchObject({ kind: 'limit', quota: 'accessKeysPerUser', limit: 2 });
        // The root's keys are counted apart from the users'.
        for (let i = 0; i < 2; i++) {
          await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'root' }, secretAccessKey: SECRET, status: 'Active', createDate: at(i) });
        }
        await expect(store.createAccessKey({ accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'root' }, secretAccessKey: SECRET, status: 'Active', createDate: at(3) }))
          .rejects.toBeInstanceOf(StoreLimitError);
        await expect(store.createAccessKey({ accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'user', userId: 'AIDANOPE' }, secretAccessKey: SECRET, status: 'Active', createDate: at(3) }))
          .rejects.toBeInstanceOf(StoreReferenceError);
      });

      test('recordAccessKeyUse: one batch, latest wins per key, never backwards, unknown ignored', async () => {
        const ids = [uid('AKIA'), uid('AKIA')] as const;
        for (const id of ids) await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id, owner: { kind: 'root' }, secretAccessKey: SECRET, status: 'Active', createDate: at(0) });
        await store.recordAccessKeyUse([
          { accessKeyId: ids[0], usedAt: at(10), serviceName: 'iam', region: 'us-east-1' },
          { accessKeyId: ids[0], usedAt: at(30), serviceName: 'sts', region: 'eu-west-1' },
          { accessKeyId: ids[0], usedAt: at(20), serviceName: 'iam', region: 'us-west-2' },
          { accessKeyId: ids[1], usedAt: at(5), serviceName: 'iam', region: 'us-east-1' },
          { accessKeyId: 'AKIAGONE', usedAt: at(5), serviceName: 'iam', region: 'us-east-1' },
        ]);
        await store.recordAccessKeyUse([{ accessKeyId: ids[0], usedAt: at(15), serviceName: 'iam', region: 'ap-south-1' }]);
        await store.recordAccessKeyUse([]);
        expect(await store.getAccessKey(ids[0])).toMatchObject({ lastUsedDate: at(30), lastUsedServiceName: 'sts', lastUsedRegion: 'eu-west-1' });
        expect(await store.getAccessKey(ids[1])).toMatchObject({ lastUsedDate: at(5), lastUsedServiceName: 'iam', lastUsedRegion: 'us-east-1' });
      });

      test('secret access keys are encrypted at rest', async () => {
        const id = uid('AKIA');
        const secret = `PLAINTEXT-SECRET-${uid('')}`;
        await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id, owner: { kind: 'root' }, secretAccessKey: secret, status: 'Active', createDate: at(0) });
        // Given the key was written, When the raw database is searched, Then its id is there (the
        // search works) and its secret is not.
        expect(await t.rawDatabaseContains(id)).toBe(true);
        expect(await t.rawDatabaseContains(secret)).toBe(false);
        expect((await store.getAccessKeyWithSecret(id))?.secretAccessKey).toBe(secret);
      });

      test('login profiles: create once, read, update, delete', async () => {
        const u = await store.createUser(newUser('u'));
        const profile = { accountId: ACCOUNT, userId: u.id, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$abc$def', passwordResetRequired: true, createDate: at(1) };
        expect(await store.createLoginProfile(profile)).toEqual(profile);
        await expect(store.createLoginProfile(profile)).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.getLoginProfile(u.id)).toEqual(profile);
        expect(await store.updateLoginProfile(u.id, { passwordHash: '$argon2id$new', passwordResetRequired: false })).toEqual({ ...profile, passwordHash: '$argon2id$new', passwordResetRequired: false });
        expect(await store.updateLoginProfile('AIDANOPE', { passwordResetRequired: true })).toBeUndefined();
        expect(await store.deleteLoginProfile(u.id)).toBe(true);
        expect(await store.deleteLoginProfile(u.id)).toBe(false);
        expect(await store.getLoginProfile(u.id)).toBeUndefined();
      });
    });

    // ---------------------------------------------------------------------------------------
    describe('transactions', () => {
      test('a throw rolls everything back and is rethrown', async () => {
        const boom = new Error('boom');
        await expect(store.transaction(async (tx) => {
          await tx.createUser(newUser('ghost'));
          await tx.appendAuditEvents([auditEvent(1, { eventName: 'CreateUser', readOnly: false })]);
          throw boom;
        })).rejects.toBe(boom);
        expect(await store.getUserByName(ACCOUNT, 'ghost')).toBeUndefined();
        expect(await store.scanAuditEvents({ fromSeq: 0, limit: 10 })).toEqual([]);
        expect(await store.getAuditHead()).toBeUndefined();
      });

      test('a store error inside a transaction rolls back earlier writes', async () => {
        await store.createUser(newUser('taken'));
        await expect(store.transaction(async (tx) => {
          await tx.createGroup(newGroup('fresh'));
          await tx.createUser(newUser('TAKEN'));
        })).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.getGroupByName(ACCOUNT, 'fresh')).toBeUndefined();
      });

      test('a mutation and its audit event commit together', async () => {
        const result = await store.transaction(async (tx) => {
          const user = await tx.createUser(newUser('real'));
          const [chain] = await tx.appendAuditEvents([auditEvent(1, { eventName: 'CreateUser', readOnly: false, resources: [{ type: 'AWS::IAM::User', name: 'real' }] })]);
          return { user, chain };
        });
        expect(result.chain?.seq).toBe(1);
        expect(await store.getUserById(result.user.id)).toBeDefined();
        expect((await store.scanAuditEvents({ fromSeq: 1, limit: 10 })).map((e) => e.eventName)).toEqual(['CreateUser']);
      });

      test('a nested transaction reuses the outer one', async () => {
        const boom = new Error('outer fails after inner succeeded');
        await expect(store.transaction(async (tx) => {
          await tx.transaction(async (inner) => {
            expect(inner).toBe(tx);
            await inner.createUser(newUser('nested'));
          });
          expect(await tx.getUserByName(ACCOUNT, 'nested')).toBeDefined();
          throw boom;
        })).rejects.toBe(boom);
        expect(await store.getUserByName(ACCOUNT, 'nested')).toBeUndefined();
      });

      test('lockForUpdate needs a transaction and reports existence', async () => {
        const u = await store.createUser(newUser('u'));
        await expect(store.lockForUpdate({ kind: 'user', id: u.id })).rejects.toThrow(/transaction/);
        await store.transaction(async (tx) => {
          expect(await tx.lockForUpdate({ kind: 'user', id: u.id })).toBe(true);
          expect(await tx.lockForUpdate({ kind: 'role', id: 'AROANOPE' })).toBe(false);
          expect(await tx.lockForUpdate({ kind: 'account', id: ACCOUNT })).toBe(true);
        });
      });

      test('concurrent transactions all commit and see earlier commits', async () => {
        await Promise.all(Array.from({ length: 12 }, (_, i) => store.transaction(async (tx) => {
          const u = await tx.createUser(newUser(`user${i}`));
          await tx.putTags({ kind: 'user', id: u.id }, [{ key: 'i', value: String(i) }]);
        })));
        expect((await store.listUsers({ accountId: ACCOUNT })).items).toHaveLength(12);
      });
    });

    // ---------------------------------------------------------------------------------------
    describe('audit events', () => {
      test('append assigns seqs and links the hash chain', async () => {
        const first = await store.appendAuditEvents([auditEvent(1), auditEvent(2)]);
        const second = await store.appendAuditEvents([auditEvent(3)]);
        expect([...first, ...second].map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(first[0]?.prevHash).toBe(GENESIS_HASH);
        expect(second[0]?.prevHash).toBe(first[1]?.hash);
        const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 100 });
        expectLinearChain(rows);
        expect(await store.getAuditHead()).toEqual({ seq: 3, hash: second[0]?.hash });
        expect(await store.appendAuditEvents([])).toEqual([]);
        await expect(store.appendAuditEvents([auditEvent(9, { eventId: rows[0]!.eventId })])).rejects.toBeInstanceOf(StoreConflictError);
      });

      test('stored rows round-trip every field, resources in order', async () => {
        const event = auditEvent(1, {
          eventName: 'AttachUserPolicy', readOnly: false, username: 'bob', accessKeyId: 'AKIAEXAMPLE', errorCode: 'AccessDenied',
          resources: [{ type: 'AWS::IAM::User', name: 'carol' }, { type: 'AWS::IAM::Policy', name: 'arn:p' }],
          recordJson: '{"weird":"\\u00e9\\n  spacing kept ","n":1}',
        });
        const [chain] = await store.appendAuditEvents([event]);
        const [row] = await store.scanAuditEvents({ fromSeq: 1, limit: 1 });
        expect(row).toEqual({ ...event, seq: 1, prevHash: GENESIS_HASH, hash: chain!.hash });
      });

      test('concurrent appends, alone or with mutations, keep the chain linear', async () => {
        const appends = Array.from({ length: 15 }, (_, i) => store.appendAuditEvents([auditEvent(i * 3), auditEvent(i * 3 + 1), auditEvent(i * 3 + 2)]));
        const mutations = Array.from({ length: 10 }, (_, i) => store.transaction(async (tx) => {
          await tx.createUser(newUser(`c${i}`));
          await tx.appendAuditEvents([auditEvent(100 + i, { eventName: 'CreateUser', readOnly: false })]);
        }));
        await Promise.all([...appends, ...mutations]);
        const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 1000 });
        expect(rows).toHaveLength(55);
        expectLinearChain(rows);
      });

      test('lookup: newest first, time range, paging with a cursor, account isolation', async () => {
        const events = Array.from({ length: 7 }, (_, i) => auditEvent(i));
        // Appended out of time order (batched read-only events): lookup orders by event time.
        await store.appendAuditEvents([events[3]!, events[0]!, events[6]!, events[1]!, events[5]!]);
        await store.appendAuditEvents([events[2]!, events[4]!, auditEvent(50, { accountId: OTHER_ACCOUNT })]);
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.lookupAuditEvents({ accountId: ACCOUNT, limit: 3, ...(cursor ? { cursor } : {}) });
          seen.push(...page.events.map((e) => e.eventId));
          cursor = page.nextCursor;
          pages++;
        } while (cursor);
        expect(pages).toBe(3);
        expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => events[i]!.eventId));
        const ranged = await store.lookupAuditEvents({ accountId: ACCOUNT, startTime: at(2), endTime: at(4), limit: 50 });
        expect(ranged.events.map((e) => e.eventId)).toEqual([4, 3, 2].map((i) => events[i]!.eventId));
        expect(ranged.nextCursor).toBeUndefined();
        expect((await store.lookupAuditEvents({ accountId: OTHER_ACCOUNT, limit: 50 })).events).toHaveLength(1);
        await expect(store.lookupAuditEvents({ accountId: ACCOUNT, limit: 5, cursor: 'garbage' })).rejects.toBeInstanceOf(StoreInvalidCursorError);
      });

      const attributeCases: Array<{ name: string; attribute: AuditLookupAttribute; expected: number[] }> = [
        { name: 'EventName', attribute: { key: 'EventName', value: 'CreateUser' }, expected: [3, 1] },
        { name: 'Username', attribute: { key: 'Username', value: 'alice' }, expected: [2, 1] },
        { name: 'EventSource', attribute: { key: 'EventSource', value: 'sts.amazonaws.com' }, expected: [4] },
        { name: 'AccessKeyId', attribute: { key: 'AccessKeyId', value: 'AKIABOB' }, expected: [3] },
        { name: 'ReadOnly true', attribute: { key: 'ReadOnly', value: 'true' }, expected: [4, 2] },
        { name: 'ReadOnly false', attribute: { key: 'ReadOnly', value: 'false' }, expected: [3, 1] },
        { name: 'ResourceType', attribute: { key: 'ResourceType', value: 'AWS::IAM::User' }, expected: [3, 1] },
        { name: 'ResourceName', attribute: { key: 'ResourceName', value: 'carol' }, expected: [3] },
        { name: 'EventId', attribute: { key: 'EventId', value: 'evt-2' }, expected: [2] },
        { name: 'no match', attribute: { key: 'Username', value: 'nobody' }, expected: [] },
      ];
      for (const { name, attribute, expected } of attributeCases) {
        test(`lookup by ${name}`, async () => {
          // Given four events with distinct attributes (and a decoy in another account)
          await store.appendAuditEvents([
            auditEvent(1, { eventId: 'evt-1', eventName: 'CreateUser', readOnly: false, username: 'alice', resources: [{ type: 'AWS::IAM::User', name: 'bob' }] }),
            auditEvent(2, { eventId: 'evt-2', eventName: 'ListUsers', readOnly: true, username: 'alice' }),
            auditEvent(3, {
              eventId: 'evt-3', eventName: 'CreateUser', readOnly: false, username: 'bob', accessKeyId: 'AKIABOB',
              resources: [{ type: 'AWS::IAM::User', name: 'carol' }, { type: 'AWS::IAM::Group', name: 'admins' }],
            }),
            auditEvent(4, { eventId: 'evt-4', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', readOnly: true }),
            auditEvent(5, { eventId: 'evt-x', accountId: OTHER_ACCOUNT, eventName: 'CreateUser', username: 'alice', accessKeyId: 'AKIABOB', resources: [{ type: 'AWS::IAM::User', name: 'carol' }] }),
          ]);
          // When looking up by the attribute, Then exactly the matching events come back, newest first
          const { events } = await store.lookupAuditEvents({ accountId: ACCOUNT, attribute, limit: 50 });
          expect(events.map((e) => e.eventId)).toEqual(expected.map((i) => `evt-${i}`));
        });
      }

      test('lookup by a resource pages without repeating multi-resource events', async () => {
        await store.appendAuditEvents(Array.from({ length: 5 }, (_, i) => auditEvent(i, {
          eventId: `r-${i}`, resources: [{ type: 'AWS::IAM::User', name: 'a' }, { type: 'AWS::IAM::User', name: 'b' }],
        })));
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.lookupAuditEvents({ accountId: ACCOUNT, attribute: { key: 'ResourceType', value: 'AWS::IAM::User' }, limit: 2, ...(cursor ? { cursor } : {}) });
          ids.push(...page.events.map((e) => e.eventId));
          expect(page.events.every((e) => e.resources.length === 2)).toBe(true);
          cursor = page.nextCursor;
        } while (cursor);
        expect(ids).toEqual(['r-4', 'r-3', 'r-2', 'r-1', 'r-0']);
      });

      test('scan pages ascending from a seq', async () => {
        await store.appendAuditEvents(Array.from({ length: 6 }, (_, i) => auditEvent(i)));
        expect((await store.scanAuditEvents({ fromSeq: 3, limit: 2 })).map((e) => e.seq)).toEqual([3, 4]);
        expect((await store.scanAuditEvents({ fromSeq: 5, limit: 10 })).map((e) => e.seq)).toEqual([5, 6]);
        expect(await store.scanAuditEvents({ fromSeq: 7, limit: 10 })).toEqual([]);
      });

      test('retention deletes through a seq, records a checkpoint, and the chain continues', async () => {
        const chain = await store.appendAuditEvents(Array.from({ length: 5 }, (_, i) => auditEvent(i, { resources: [{ type: 'AWS::IAM::User', name: `u${i}` }] })));
        expect(await store.getAuditCheckpoint()).toBeUndefined();
        expect(await store.deleteAuditEventsThrough(3)).toBe(3);
        expect(await store.getAuditCheckpoint()).toEqual({ seq: 3, hash: chain[2]!.hash });
        const remaining = await store.scanAuditEvents({ fromSeq: 0, limit: 100 });
        expect(remaining.map((e) => e.seq)).toEqual([4, 5]);
        expectLinearChain(remaining, { seq: 3, hash: chain[2]!.hash });
        expect((await store.lookupAuditEvents({ accountId: ACCOUNT, attribute: { key: 'ResourceName', value: 'u1' }, limit: 5 })).events).toEqual([]);
        expect(await store.deleteAuditEventsThrough(3)).toBe(0);

        // Deleting everything keeps seqs and the chain going from the checkpoint.
        expect(await store.deleteAuditEventsThrough(100)).toBe(2);
        expect(await store.getAuditCheckpoint()).toEqual({ seq: 5, hash: chain[4]!.hash });
        expect(await store.getAuditHead()).toEqual({ seq: 5, hash: chain[4]!.hash });
        const [next] = await store.appendAuditEvents([auditEvent(9)]);
        expect(next).toMatchObject({ seq: 6, prevHash: chain[4]!.hash });
        expectLinearChain(await store.scanAuditEvents({ fromSeq: 0, limit: 10 }), { seq: 5, hash: chain[4]!.hash });
      });
    });

    // ---------------------------------------------------------------------------------------
    describe('durability', () => {
      test('close lets a transaction in flight commit', async () => {
        // Given a transaction that is between two writes
        let reachedMiddle!: () => void;
        const middle = new Promise<void>((resolve) => { reachedMiddle = resolve; });
        const pending = store.transaction(async (tx) => {
          await tx.createUser(newUser('late'));
          reachedMiddle();
          await new Promise((resolve) => setTimeout(resolve, 50));
          await tx.createGroup(newGroup('late'));
        });
        await middle;
        // When the store is closed (and reopened) meanwhile
        const reopened = await t.reopen();
        await pending;
        // Then both writes were committed
        expect(await reopened.getUserByName(ACCOUNT, 'late')).toBeDefined();
        expect(await reopened.getGroupByName(ACCOUNT, 'late')).toBeDefined();
      });

      test('a reopened store has everything that was written', async () => {
        // Given one of each kind of row
        const u = await store.createUser(newUser('persist', { permissionsBoundaryArn: 'arn:b' }));
        const g = await store.createGroup(newGroup('pg'));
        const r = await store.createRole(newRole('pr', { description: 'd' }));
        const p = await store.createPolicy(newPolicy('pp'));
        await store.createPolicyVersion({ policyId: p.id, document: doc('s3:*'), setAsDefault: true, createDate: at(2) });
        await store.addUserToGroup({ groupId: g.id, userId: u.id });
        await store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'role', id: r.id }, policyArn: p.arn });
        await store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'group', id: g.id }, name: 'inl', document: doc('ec2:*') });
        await store.putTags({ kind: 'user', id: u.id }, [{ key: 'k', value: 'v' }]);
        const keyId = uid('AKIA');
        await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: keyId, owner: { kind: 'user', userId: u.id }, secretAccessKey: 'restart-secret', status: 'Active', createDate: at(3) });
        await store.createLoginProfile({ accountId: ACCOUNT, userId: u.id, passwordHash: '$argon2id$h', passwordResetRequired: false, createDate: at(3) });
        await store.createAccountAlias(ACCOUNT, 'persisted', at(3));
        await store.setMeta('bootstrap', 'done');
        const [event] = await store.appendAuditEvents([auditEvent(1)]);
        const before = {
          user: await store.getUserById(u.id), role: await store.getRoleById(r.id), policy: await store.getPolicyById(p.id),
          versions: await store.listPolicyVersions(p.id), key: await store.getAccessKey(keyId),
        };

        // When the store is closed and opened again
        const reopened = await t.reopen();

        // Then everything is there
        expect(await reopened.getUserById(u.id)).toEqual(before.user);
        expect(await reopened.getRoleById(r.id)).toEqual(before.role);
        expect(await reopened.getPolicyById(p.id)).toEqual(before.policy);
        expect(await reopened.listPolicyVersions(p.id)).toEqual(before.versions);
        expect(await reopened.getAccessKey(keyId)).toEqual(before.key);
        expect((await reopened.getAccessKeyWithSecret(keyId))?.secretAccessKey).toBe('restart-secret');
        expect((await reopened.listGroupMembers(g.id)).items.map((x) => x.id)).toEqual([u.id]);
        expect((await reopened.listAttachedPolicies({ kind: 'role', id: r.id })).items.map((a) => a.policyArn)).toEqual([p.arn]);
        expect(await reopened.getInlinePolicy({ kind: 'group', id: g.id }, 'INL')).toBeDefined();
        expect((await reopened.listTags({ kind: 'user', id: u.id })).items).toEqual([{ key: 'k', value: 'v' }]);
        expect(await reopened.getLoginProfile(u.id)).toBeDefined();
        expect(await reopened.getAccountIdByAlias('persisted')).toBe(ACCOUNT);
        expect(await reopened.getMeta('bootstrap')).toBe('done');
        expect(await reopened.getAuditHead()).toEqual({ seq: 1, hash: event!.hash });
        const [next] = await reopened.appendAuditEvents([auditEvent(2)]);
        expect(next?.prevHash).toBe(event!.hash);
      });
    });
  });
}
