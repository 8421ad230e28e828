import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError } from '../store-errors.js';
import type { Store } from '../store.js';
import { ACCOUNT, OTHER_ACCOUNT, at, newUser, settle, type ContractScope } from './fixtures.js';

/** The store contract: console guards (sign-in failures, sign-outs, answered challenges), security keys, root's last sign-in. */
export function consoleGuardContract({ test, current }: ContractScope): void {
  describe('console guards and security keys', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });
    const fail = (now: number, key = 'acct/ana', blockAt = 3) =>
      store.countSignInFailure({ kind: 'sign-in-name', key, now: at(now), expiresAt: at(now + 900), blockFor: (n) => (n >= blockAt ? at(now + 60) : undefined) });

    test('failures count in a row, block when told, expire, restart at one, and clear', async () => {
      expect(await fail(0)).toEqual({ failures: 1, blockedUntil: new Date(0) });
      expect(await fail(1)).toEqual({ failures: 2, blockedUntil: new Date(0) });
      expect(await fail(2)).toEqual({ failures: 3, blockedUntil: at(62) });
      expect(await store.getSignInFailures('sign-in-name', 'acct/ana', at(3))).toEqual({ failures: 3, blockedUntil: at(62) });
      // Kinds and keys are apart.
      expect(await store.getSignInFailures('sign-in-address', 'acct/ana', at(3))).toBeUndefined();
      expect(await store.getSignInFailures('sign-in-name', 'acct/bob', at(3))).toBeUndefined();
      // Expired at 902: absent, and the next failure counts from one.
      expect(await store.getSignInFailures('sign-in-name', 'acct/ana', at(902))).toBeUndefined();
      expect(await fail(903)).toEqual({ failures: 1, blockedUntil: new Date(0) });
      await store.clearConsoleGuard('sign-in-name', 'acct/ana');
      expect(await store.getSignInFailures('sign-in-name', 'acct/ana', at(904))).toBeUndefined();
    });

    test('concurrent failures each count', async () => {
      const { ok } = await settle([0, 1, 2, 3, 4, 5].map(() => fail(0, 'k', 99)));
      expect(ok.map((s) => s.failures).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await store.getSignInFailures('sign-in-name', 'k', at(1))).toMatchObject({ failures: 6 });
    });

    test('a mark is made once while live, again once expired, and pruning deletes only expired records', async () => {
      expect(await store.markConsoleGuardOnce('signed-out', 's1', at(0), at(10))).toBe(true);
      expect(await store.markConsoleGuardOnce('signed-out', 's1', at(5), at(20))).toBe(false);
      expect(await store.hasConsoleGuard('signed-out', 's1', at(9))).toBe(true);
      expect(await store.hasConsoleGuard('signed-out', 's1', at(10))).toBe(false);
      expect(await store.hasConsoleGuard('challenge', 's1', at(9))).toBe(false);
      const { ok } = await settle([1, 2, 3, 4].map(() => store.markConsoleGuardOnce('challenge', 'c', at(0), at(10))));
      expect(ok.filter(Boolean)).toHaveLength(1);
      expect(await store.markConsoleGuardOnce('signed-out', 's1', at(11), at(30))).toBe(true);
      await fail(0, 'old');
      expect(await store.pruneConsoleGuards(at(15))).toBe(1);
      expect(await store.hasConsoleGuard('signed-out', 's1', at(15))).toBe(true);
      expect(await store.pruneConsoleGuards(at(1000))).toBe(2);
    });

    test('security keys: created, listed, counter moved once, duplicate credential refused, deleted', async () => {
      const user = await store.createUser(newUser('ana'));
      const key = {
        accountId: ACCOUNT, serialNumber: `arn:aws:iam::${ACCOUNT}:u2f/user/ana/k1`, userId: user.id, name: 'yubi',
        credentialId: 'Y3JlZA', publicKey: 'cHVi', counter: 0, transports: ['usb'], enableDate: at(0),
      };
      await store.createSecurityKey(key);
      await expect(store.createSecurityKey({ ...key, serialNumber: `${key.serialNumber}x` })).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.listSecurityKeys(user.id)).toEqual([key]);
      expect([await store.countSecurityKeys(ACCOUNT), await store.countSecurityKeys(OTHER_ACCOUNT)]).toEqual([1, 0]);
      const uses = await settle([1, 2, 3].map(() => store.useSecurityKey(key.serialNumber, { previous: 0, counter: 5, usedAt: at(1) })));
      expect(uses.ok.filter(Boolean)).toHaveLength(1);
      expect(await store.getSecurityKey(key.serialNumber)).toEqual({ ...key, counter: 5, lastUsedDate: at(1) });
      expect(await store.deleteSecurityKey(key.serialNumber)).toBe(true);
      expect(await store.deleteSecurityKey(key.serialNumber)).toBe(false);
      expect(await store.listSecurityKeys(user.id)).toEqual([]);
    });

    test('root\'s last console sign-in', async () => {
      expect(await store.getRootPasswordLastUsed(ACCOUNT)).toBeUndefined();
      await store.recordRootPasswordUse(ACCOUNT, at(7));
      expect(await store.getRootPasswordLastUsed(ACCOUNT)).toEqual(at(7));
    });
  });
}
