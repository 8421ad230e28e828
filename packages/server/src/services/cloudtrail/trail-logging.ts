/**
 * cloudtrail:StartLogging and StopLogging on the account's trail. Recording never stops (every
 * call is still stored, chained and found by LookupEvents, as AWS's event history records whatever
 * trails do); logging is the trail's delivery: while it is stopped the export delivers nothing of
 * the account ({@link deliversEventAt}). Both are idempotent, as on AWS, but each call moves its time.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import type { AccountTrailState, AccountTrailStore, Store } from '../../store/store.js';
import { findAccountTrail, type TrailReference, type TrailSettings } from './account-trail.js';

/** What the logging calls read and write. */
export interface TrailLoggingDeps {
  store: Pick<Store, 'lockForUpdate'> & AccountTrailStore;
}

/** What reads of the account's stored trail settings need (ListTags, GetEventSelectors). */
export interface TrailStateReadDeps {
  store: Pick<AccountTrailStore, 'getAccountTrail'>;
}

/** The account's trail state, the default one (logging, untouched) when it has no row. */
export async function currentTrailState(store: Pick<AccountTrailStore, 'getAccountTrail'>, accountId: string): Promise<AccountTrailState> {
  return (await store.getAccountTrail(accountId)) ?? { accountId, logging: true, tags: [] };
}

/** Starts (`logging` true) or stops the trail `ref` names; `TrailNotFoundException` when it names no trail of the caller. */
export async function setTrailLogging(deps: TrailLoggingDeps, settings: Pick<TrailSettings, 'homeRegion' | 'logFileValidation'>, ref: TrailReference, logging: boolean, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  findAccountTrail(ref, { accountId, region: ctx.region }, settings);
  // Serializes with the account's other trail changes (tags, selectors): each writes the whole state.
  await deps.store.lockForUpdate({ kind: 'account', id: accountId });
  const state = await currentTrailState(deps.store, accountId);
  await deps.store.putAccountTrail({ ...state, logging, ...(logging ? { startLoggingTime: ctx.now } : { stopLoggingTime: ctx.now }) });
}

/**
 * Whether the trail delivers an event of `eventTime`, given its logging state at export time: an
 * event recorded while logging was stopped is never delivered (AWS delivers nothing for that
 * time, even after StartLogging). Only the latest stop and start are kept, so of several
 * stop/start cycles between two export runs only the latest gap is skipped. The StopLogging call
 * itself is delivered (its time is the stop time), and so is the StartLogging call.
 */
export function deliversEventAt(state: Pick<AccountTrailState, 'logging' | 'startLoggingTime' | 'stopLoggingTime'> | undefined, eventTime: Date): boolean {
  if (!state) return true;
  const t = eventTime.getTime();
  const stop = state.stopLoggingTime?.getTime();
  if (!state.logging) return stop !== undefined && t <= stop;
  const start = state.startLoggingTime?.getTime();
  if (stop === undefined || start === undefined || start < stop) return true;
  return t <= stop || t >= start;
}
