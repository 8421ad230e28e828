/**
 * cloudtrail:GetTrailStatus' use case: the account's trail always logs (every request is recorded,
 * whether or not the export runs), and has since the account was created; its deliveries are what
 * the export folder holds.
 *
 * @module
 */
import type { AccountStore } from '../../store/store.js';
import { findAccountTrail, type TrailCaller, type TrailReference, type TrailSettings } from './account-trail.js';

/** What the status reads: the account's creation date. */
export interface TrailStatusDeps {
  store: Pick<AccountStore, 'getAccount'>;
}

/** The status of the caller's trail. */
export interface TrailStatus {
  logging: true;
  /** When recording started: the account's creation. */
  startedAt?: Date;
  latestDelivery?: Date;
  latestDigestDelivery?: Date;
}

/** The status of the trail `ref` names (`TrailNotFoundException` when it names no trail of the caller). */
export async function trailStatus(deps: TrailStatusDeps, settings: TrailSettings, ref: TrailReference, caller: TrailCaller): Promise<TrailStatus> {
  findAccountTrail(ref, caller, settings);
  const [account, deliveries] = await Promise.all([deps.store.getAccount(caller.accountId), settings.deliveries(caller.accountId)]);
  return {
    logging: true,
    ...(account ? { startedAt: account.createDate } : {}),
    ...(deliveries.latestDelivery ? { latestDelivery: deliveries.latestDelivery } : {}),
    ...(deliveries.latestDigestDelivery ? { latestDigestDelivery: deliveries.latestDigestDelivery } : {}),
  };
}
