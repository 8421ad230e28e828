import { beforeEach, describe, expect } from 'vitest';
import type { Store } from '../store.js';
import { ACCOUNT, OTHER_ACCOUNT, at, settle, type ContractScope } from './fixtures.js';

/** The store contract: the stored credential report and who may generate it. */
export function credentialReportContract({ test, current }: ContractScope): void {
  describe('credential reports', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });
    const claim = (now: number, over: { stale?: number; abandoned?: number; accountId?: string } = {}) =>
      store.claimCredentialReportGeneration({ accountId: over.accountId ?? ACCOUNT, now: at(now), staleBefore: at(over.stale ?? 0), abandonedBefore: at(over.abandoned ?? 0) });

    test('the first claim generates; a fresh report is kept; a stale one is claimed again', async () => {
      expect(await store.getCredentialReport(ACCOUNT)).toBeUndefined();
      expect(await claim(10)).toEqual({ claimed: true });
      expect(await store.getCredentialReport(ACCOUNT)).toEqual({ accountId: ACCOUNT, state: 'generating', startedAt: at(10) });
      expect(await store.completeCredentialReport({ accountId: ACCOUNT, startedAt: at(10), generatedAt: at(11), content: 'user,arn\n' })).toBe(true);
      const done = { accountId: ACCOUNT, state: 'complete', startedAt: at(10), generatedAt: at(11), content: 'user,arn\n' };
      expect(await store.getCredentialReport(ACCOUNT)).toEqual(done);
      // Generated at 11: not stale before 11.
      expect(await claim(20, { stale: 11 })).toEqual({ claimed: false, current: done });
      expect(await claim(30, { stale: 12 })).toEqual({ claimed: true, previous: done });
      // The old content stays readable while the new one is generated.
      expect(await store.getCredentialReport(ACCOUNT)).toMatchObject({ state: 'generating', startedAt: at(30), content: 'user,arn\n' });
      expect(await store.getCredentialReport(OTHER_ACCOUNT)).toBeUndefined();
    });

    test('one claim among concurrent callers; an abandoned generation is taken over and its late result dropped', async () => {
      const { ok } = await settle([1, 2, 3, 4].map(() => claim(10)));
      expect(ok.filter((c) => c.claimed)).toHaveLength(1);
      expect(await claim(20, { abandoned: 10 })).toMatchObject({ claimed: false, current: { state: 'generating', startedAt: at(10) } });
      expect(await claim(30, { abandoned: 11 })).toMatchObject({ claimed: true });
      expect(await store.completeCredentialReport({ accountId: ACCOUNT, startedAt: at(10), generatedAt: at(31), content: 'late' })).toBe(false);
      expect(await store.completeCredentialReport({ accountId: ACCOUNT, startedAt: at(30), generatedAt: at(32), content: 'new' })).toBe(true);
      expect(await store.getCredentialReport(ACCOUNT)).toMatchObject({ state: 'complete', generatedAt: at(32), content: 'new' });
    });
  });
}
