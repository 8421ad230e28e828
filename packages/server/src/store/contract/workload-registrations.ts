import { beforeEach, describe, expect } from 'vitest';
import type { Store } from '../store.js';
import { ACCOUNT, at, type ContractScope } from './fixtures.js';

/** The store contract: workload registrations, found by their secret's hash, revoked once. */
export function workloadRegistrationContract({ test, current }: ContractScope): void {
  describe('workload registrations', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });
    const reg = (id: string, hash: string, t: number) => ({ id, accountId: ACCOUNT, instanceProfileName: 'web', secretHash: hash, createDate: at(t) });

    test('create, find by hash, list in creation order, revoke once', async () => {
      await store.createWorkloadRegistration(reg('wl-b', 'h1', 1));
      await store.createWorkloadRegistration(reg('wl-a', 'h2', 2));
      expect(await store.getWorkloadRegistrationBySecretHash('h1')).toEqual(reg('wl-b', 'h1', 1));
      expect(await store.getWorkloadRegistrationBySecretHash('nope')).toBeUndefined();
      expect((await store.listWorkloadRegistrations()).map((r) => r.id)).toEqual(['wl-b', 'wl-a']);
      expect(await store.revokeWorkloadRegistration('wl-b', at(5))).toBe(true);
      expect(await store.revokeWorkloadRegistration('wl-b', at(6))).toBe(false);
      expect(await store.revokeWorkloadRegistration('missing', at(6))).toBe(false);
      expect(await store.getWorkloadRegistrationBySecretHash('h1')).toEqual({ ...reg('wl-b', 'h1', 1), revokedAt: at(5) });
    });

    test('found by id, revoked or not', async () => {
      await store.createWorkloadRegistration(reg('wl-c', 'h3', 1));
      expect(await store.getWorkloadRegistration('wl-c')).toEqual(reg('wl-c', 'h3', 1));
      await store.revokeWorkloadRegistration('wl-c', at(2));
      expect(await store.getWorkloadRegistration('wl-c')).toEqual({ ...reg('wl-c', 'h3', 1), revokedAt: at(2) });
      expect(await store.getWorkloadRegistration('wl-none')).toBeUndefined();
    });

    test('a taken secret hash is refused', async () => {
      await store.createWorkloadRegistration(reg('wl-1', 'same', 1));
      await expect(store.createWorkloadRegistration(reg('wl-2', 'same', 2))).rejects.toThrow();
      expect(await store.listWorkloadRegistrations()).toHaveLength(1);
    });
  });
}
