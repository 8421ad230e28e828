import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError } from '../store-errors.js';
import type { ActionUse, Store } from '../store.js';
import { ACCOUNT, at, type ContractScope } from './fixtures.js';

/** The store contract: last-accessed data and report jobs. */
export function accessActivityContract({ test, current }: ContractScope): void {
  describe('last-accessed data', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });
    const use = (entityId: string, action: string, s: number, region = 'us-east-1'): ActionUse =>
      ({ accountId: ACCOUNT, entity: { kind: 'user', id: entityId }, action, usedAt: at(s), region });

    test('keeps the latest use per entity and action; a date never goes back; duplicates in a batch are fine', async () => {
      await store.recordActionUse([use('AIDA1', 'iam:GetUser', 10), use('AIDA1', 'iam:GetUser', 12, 'eu-west-1'), use('AIDA1', 'sts:GetCallerIdentity', 5)]);
      await store.recordActionUse([use('AIDA1', 'iam:GetUser', 11, 'ap-south-1'), use('AIDA2', 'iam:GetUser', 3)]);
      await store.recordActionUse([]);
      const rows = await store.listActionUses(['AIDA1']);
      expect(rows.sort((a, b) => a.action.localeCompare(b.action))).toEqual([use('AIDA1', 'iam:GetUser', 12, 'eu-west-1'), use('AIDA1', 'sts:GetCallerIdentity', 5)]);
      await store.recordActionUse([use('AIDA1', 'iam:GetUser', 20, 'us-west-2')]);
      expect((await store.listActionUses(['AIDA1', 'AIDA2'])).map((r) => [r.entity.id, r.action, r.usedAt, r.region]).sort()).toEqual([
        ['AIDA1', 'iam:GetUser', at(20), 'us-west-2'],
        ['AIDA1', 'sts:GetCallerIdentity', at(5), 'us-east-1'],
        ['AIDA2', 'iam:GetUser', at(3), 'us-east-1'],
      ].sort());
      expect(await store.listActionUses([])).toEqual([]);
    });

    test('report jobs are stored once and read back', async () => {
      const job = { jobId: 'job-1', accountId: ACCOUNT, arn: 'arn:aws:iam::123456789012:user/u', granularity: 'ACTION_LEVEL' as const, createdAt: at(1), completedAt: at(2), resultJson: '{"services":[]}' };
      await store.createAccessReportJob(job);
      expect(await store.getAccessReportJob('job-1')).toEqual(job);
      await expect(store.createAccessReportJob(job)).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.getAccessReportJob('job-2')).toBeUndefined();
    });
  });
}
