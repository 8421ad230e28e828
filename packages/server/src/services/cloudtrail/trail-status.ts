/**
 * cloudtrail:GetTrailStatus' use case: whether the account's trail logs (delivers to the export)
 * and the times of its latest StartLogging and StopLogging, as AWS reports them; an account that
 * never called either has logged since it was created. Its deliveries are what the export folder
 * holds.
 *
 * @module
 */
import type { AccountStore, AccountTrailStore } from '../../store/store.js';
import { findAccountTrail, type TrailCaller, type TrailReference, type TrailSettings } from './account-trail.js';

/** What the status reads: the account's creation date and its trail state. */
export interface TrailStatusDeps {
  store: Pick<AccountStore, 'getAccount'> & Pick<AccountTrailStore, 'getAccountTrail'>;
}

/** The status of the caller's trail. */
export interface TrailStatus {
  logging: boolean;
  /** The latest StartLogging, or the account's creation when there was none. */
  startedAt?: Date;
  /** The latest StopLogging. */
  stoppedAt?: Date;
  latestDelivery?: Date;
  latestDigestDelivery?: Date;
}

/** The status of the trail `ref` names (`TrailNotFoundException` when it names no trail of the caller). */
export async function trailStatus(deps: TrailStatusDeps, settings: TrailSettings, ref: TrailReference, caller: TrailCaller): Promise<TrailStatus> {
  findAccountTrail(ref, caller, settings);
  const [account, state, deliveries] = await Promise.all([
    deps.store.getAccount(caller.accountId),
    deps.store.getAccountTrail(caller.accountId),
    settings.deliveries(caller.accountId),
  ]);
  const startedAt = state?.startLoggingTime ?? account?.createDate;
  return {
    logging: state?.logging ?? true,
    ...(startedAt ? { startedAt } : {}),
    ...(state?.stopLoggingTime ? { stoppedAt: state.stopLoggingTime } : {}),
    ...(deliveries.latestDelivery ? { latestDelivery: deliveries.latestDelivery } : {}),
    ...(deliveries.latestDigestDelivery ? { latestDigestDelivery: deliveries.latestDigestDelivery } : {}),
  };
}
