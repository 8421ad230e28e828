import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError, StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { Store } from '../store.js';
import type { TestStore } from '../testing.js';
import { ACCOUNT, OTHER_ACCOUNT, allPages, at, newUser, settle, type ContractScope } from './fixtures.js';

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const serial = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:mfa/${name}`;

/** The store contract: virtual MFA devices (seeds encrypted at rest), assignment, the replay guard, tags. */
export function mfaDeviceContract({ test, current }: ContractScope): void {
  describe('MFA devices', () => {
    let t: TestStore;
    let store: Store;
    beforeEach(() => { t = current(); store = t.store; });

    const create = (name: string, account = ACCOUNT, createDate = at(1)) =>
      store.createMfaDevice({ accountId: account, serialNumber: serial(name, account), name, path: '/', seed: SEED, createDate });

    test('create, read with and without seed, names unique per account ignoring case, delete', async () => {
      const d = await create('Phone');
      expect(d).toEqual({ accountId: ACCOUNT, serialNumber: serial('Phone'), name: 'Phone', path: '/', createDate: at(1) });
      expect(d).not.toHaveProperty('seed');
      expect(await store.getMfaDevice(serial('Phone'))).toEqual(d);
      expect((await store.getMfaDeviceWithSeed(serial('Phone')))?.seed).toBe(SEED);
      expect(await store.getMfaDevice(serial('nope'))).toBeUndefined();
      await expect(store.createMfaDevice({ accountId: ACCOUNT, serialNumber: serial('phone-2'), name: 'PHONE', path: '/x/', seed: SEED, createDate: at(2) }))
        .rejects.toBeInstanceOf(StoreConflictError);
      await create('Phone', OTHER_ACCOUNT);
      // The seed never reaches the database in the clear.
      expect(await t.rawDatabaseContains(serial('Phone'))).toBe(true);
      expect(await t.rawDatabaseContains(SEED)).toBe(false);
      expect(await store.deleteMfaDevice(serial('Phone'))).toBe(true);
      expect(await store.deleteMfaDevice(serial('Phone'))).toBe(false);
    });

    test('enable for a user or the root, list by owner and assignment, deactivate', async () => {
      const u = await store.createUser(newUser('u'));
      const user = { kind: 'user', userId: u.id } as const;
      for (const n of ['a', 'b', 'c']) await create(n);
      expect(await store.enableMfaDevice(serial('a'), { owner: user, enableDate: at(5), usedStep: 100 })).toBe(true);
      expect(await store.enableMfaDevice(serial('a'), { owner: { kind: 'root' }, enableDate: at(6), usedStep: 101 })).toBe(false);
      expect(await store.enableMfaDevice(serial('b'), { owner: { kind: 'root' }, enableDate: at(6), usedStep: 101 })).toBe(true);
      expect(await store.enableMfaDevice(serial('nope'), { owner: user, enableDate: at(6), usedStep: 1 })).toBe(false);
      expect(await store.getMfaDevice(serial('a'))).toMatchObject({ owner: user, enableDate: at(5), lastUsedStep: 100 });

      const serials = async (req: Parameters<Store['listMfaDevices']>[0]) => (await allPages((p) => store.listMfaDevices({ ...req, ...p }), 1)).items.map((d) => d.serialNumber);
      expect(await serials({ accountId: ACCOUNT, owner: user })).toEqual([serial('a')]);
      expect(await serials({ accountId: ACCOUNT, owner: { kind: 'root' } })).toEqual([serial('b')]);
      expect(await serials({ accountId: ACCOUNT, assignment: 'Assigned' })).toEqual([serial('a'), serial('b')]);
      expect(await serials({ accountId: ACCOUNT, assignment: 'Unassigned' })).toEqual([serial('c')]);
      expect(await serials({ accountId: ACCOUNT })).toEqual([serial('a'), serial('b'), serial('c')]);
      expect(await store.countMfaDevices(ACCOUNT)).toEqual({ devices: 3, inUse: 2, root: 1 });

      // An enabled device holds its user: deleting the user is refused.
      await expect(store.deleteUser(u.id)).rejects.toBeInstanceOf(StoreReferenceError);
      expect(await store.deactivateMfaDevice(serial('a'))).toBe(true);
      expect(await store.deactivateMfaDevice(serial('a'))).toBe(false);
      const after = await store.getMfaDevice(serial('a'));
      expect(after).not.toHaveProperty('owner');
      expect(after).not.toHaveProperty('enableDate');
      expect(await store.deleteUser(u.id)).toBe(true);
    });

    test('at most `maxPerOwner` devices per owner, even when enabled concurrently', async () => {
      const u = await store.createUser(newUser('u'));
      const user = { kind: 'user', userId: u.id } as const;
      for (const n of ['a', 'b', 'c']) await create(n);
      await store.enableMfaDevice(serial('a'), { owner: user, enableDate: at(1), usedStep: 1, maxPerOwner: 2 });
      const results = await settle([
        store.enableMfaDevice(serial('b'), { owner: user, enableDate: at(2), usedStep: 2, maxPerOwner: 2 }),
        store.enableMfaDevice(serial('c'), { owner: user, enableDate: at(2), usedStep: 2, maxPerOwner: 2 }),
      ]);
      expect(results.ok).toEqual([true]);
      expect(results.errors).toHaveLength(1);
      expect(results.errors[0]).toBeInstanceOf(StoreLimitError);
    });

    test('a time step is consumed once, and never one older than the last', async () => {
      await create('a');
      expect(await store.consumeMfaStep(serial('a'), 10, at(1))).toBe(true);
      expect(await store.consumeMfaStep(serial('a'), 10, at(2))).toBe(false);
      expect(await store.consumeMfaStep(serial('a'), 9, at(2))).toBe(false);
      const both = await settle([store.consumeMfaStep(serial('a'), 11, at(3)), store.consumeMfaStep(serial('a'), 11, at(3))]);
      expect(both.ok.sort()).toEqual([false, true]);
      expect(await store.getMfaDevice(serial('a'))).toMatchObject({ lastUsedStep: 11, lastUsedDate: at(3) });
      expect(await store.consumeMfaStep(serial('nope'), 12, at(3))).toBe(false);
    });

    test('a resync records the drift with its step, a refused one does not, and enabling clears it', async () => {
      const u = await store.createUser(newUser('u'));
      await create('a');
      expect(await store.getMfaDevice(serial('a'))).not.toHaveProperty('driftSteps');
      expect(await store.consumeMfaStep(serial('a'), 20, at(1), 7)).toBe(true);
      expect(await store.getMfaDevice(serial('a'))).toMatchObject({ lastUsedStep: 20, driftSteps: 7 });
      expect(await store.consumeMfaStep(serial('a'), 19, at(2), -3)).toBe(false);
      expect(await store.consumeMfaStep(serial('a'), 21, at(2))).toBe(true);
      expect(await store.getMfaDevice(serial('a'))).toMatchObject({ lastUsedStep: 21, driftSteps: 7 });
      expect(await store.consumeMfaStep(serial('a'), 22, at(3), -3)).toBe(true);
      expect(await store.getMfaDeviceWithSeed(serial('a'))).toMatchObject({ driftSteps: -3 });
      await store.enableMfaDevice(serial('a'), { owner: { kind: 'user', userId: u.id }, enableDate: at(4), usedStep: 30 });
      expect(await store.getMfaDevice(serial('a'))).not.toHaveProperty('driftSteps');
      await store.deactivateMfaDevice(serial('a'));
      expect(await store.deleteUser(u.id)).toBe(true);
    });

    test('tags of a device are kept in order and deleted with it', async () => {
      await create('a');
      await store.putTags({ kind: 'mfa', id: serial('a') }, [{ key: 'Team', value: 'x' }, { key: 'team', value: 'y' }]);
      // Keys compare case-sensitively on kinds other than users and roles.
      expect((await store.listTags({ kind: 'mfa', id: serial('a') })).items).toEqual([{ key: 'Team', value: 'x' }, { key: 'team', value: 'y' }]);
      await expect(store.putTags({ kind: 'mfa', id: serial('nope') }, [{ key: 'k', value: 'v' }])).rejects.toBeInstanceOf(StoreReferenceError);
      await store.deleteMfaDevice(serial('a'));
      await create('a');
      expect((await store.listTags({ kind: 'mfa', id: serial('a') })).items).toEqual([]);
    });
  });
}
