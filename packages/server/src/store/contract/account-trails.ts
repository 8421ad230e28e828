import { beforeEach, describe, expect } from 'vitest';
import type { AccountTrailState, Store } from '../store.js';
import { ACCOUNT, OTHER_ACCOUNT, at, type ContractScope } from './fixtures.js';

/** The store contract: each account's trail state, absent until written, replaced whole, per account. */
export function accountTrailContract({ test, current }: ContractScope): void {
  describe('account trails', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('absent until written', async () => {
      expect(await store.getAccountTrail(ACCOUNT)).toBeUndefined();
    });

    // Each state is written over the previous one and read back as written.
    const states: Array<[string, AccountTrailState]> = [
      ['stopped, no start yet', { accountId: ACCOUNT, logging: false, stopLoggingTime: at(10), tags: [] }],
      ['started again, with tags in their order', { accountId: ACCOUNT, logging: true, startLoggingTime: at(20), stopLoggingTime: at(10), tags: [{ key: 'team', value: 'sec' }, { key: 'Team', value: '' }, { key: 'a', value: 'b:c=d' }] }],
      ['with event selectors', { accountId: ACCOUNT, logging: true, startLoggingTime: at(20), stopLoggingTime: at(10), tags: [], eventSelectorsJson: '{"basic":[]}' }],
      ['tags and selectors removed', { accountId: ACCOUNT, logging: true, startLoggingTime: at(20), stopLoggingTime: at(10), tags: [] }],
      ['stopped again', { accountId: ACCOUNT, logging: false, startLoggingTime: at(20), stopLoggingTime: at(30), tags: [{ key: 'k', value: 'v' }] }],
    ];
    test('replaced whole by each write', async () => {
      for (const [name, state] of states) {
        await store.putAccountTrail(state);
        expect({ name, got: await store.getAccountTrail(ACCOUNT) }).toEqual({ name, got: state });
      }
    });

    test('one account\'s state is not another\'s', async () => {
      await store.putAccountTrail({ accountId: ACCOUNT, logging: false, stopLoggingTime: at(5), tags: [{ key: 'k', value: 'v' }] });
      expect(await store.getAccountTrail(OTHER_ACCOUNT)).toBeUndefined();
    });

    test('written in a transaction that rolls back, it is not kept', async () => {
      await expect(store.transaction(async (tx) => {
        await tx.putAccountTrail({ accountId: ACCOUNT, logging: false, stopLoggingTime: at(5), tags: [] });
        throw new Error('rolled back');
      })).rejects.toThrow('rolled back');
      expect(await store.getAccountTrail(ACCOUNT)).toBeUndefined();
    });
  });
}
