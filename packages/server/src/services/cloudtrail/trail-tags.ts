/**
 * cloudtrail:AddTags and RemoveTags on the account's trail, kept in its state (`AccountTrailStore`)
 * in the order keys were first added. Keys are compared case-sensitively, as CloudTrail's are.
 * AWS's rules: at most 50 tags on a trail (`TagsLimitExceededException`); keys and values match
 * `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` and a request names each key once (`InvalidTagParameterException`;
 * lengths, 1..128 and 1..256, are the model's, checked when the request is decoded).
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import type { AccountTrailStore, Store } from '../../store/store.js';
import { accountTrail, type TrailSettings } from './account-trail.js';
import { EventDataStoreNotFoundError, InvalidTagParameterError, ResourceNotFoundError, TagsLimitExceededError } from './cloudtrail-errors.js';
import { currentTrailState } from './trail-logging.js';

/** AWS: "Currently, the limit is 50." */
export const MAX_TRAIL_TAGS = 50;

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** A tag as the wire gives it (`Value` optional; an absent value is kept as ''). */
export interface TrailTagInput {
  key: string;
  value?: string;
}

/** What the tag calls read and write. */
export interface TrailTagsDeps {
  store: Pick<Store, 'lockForUpdate'> & AccountTrailStore;
}

/** The account's trail when `arn` (checked for form and account) is its ARN; else AWS's not-found error. */
function requireTrail(arn: string, accountId: string, settings: Pick<TrailSettings, 'homeRegion' | 'logFileValidation'>): void {
  if (arn === accountTrail(accountId, settings).arn) return;
  if (/:eventdatastore\//.test(arn)) throw new EventDataStoreNotFoundError(`The event data store ${arn} does not exist.`);
  throw new ResourceNotFoundError(`Resource ${arn} not found.`);
}

function checkTags(tags: TrailTagInput[], checkValues: boolean): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    if (!TAG_TEXT.test(tag.key)) throw new InvalidTagParameterError(`Tag key ${JSON.stringify(tag.key)} is not valid: keys and values match ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$.`);
    if (checkValues && tag.value !== undefined && !TAG_TEXT.test(tag.value)) throw new InvalidTagParameterError(`The value of tag key ${JSON.stringify(tag.key)} is not valid: keys and values match ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$.`);
    if (seen.has(tag.key)) throw new InvalidTagParameterError(`Tag key ${JSON.stringify(tag.key)} is given more than once.`);
    seen.add(tag.key);
  }
}

/** AddTags: adds `tags` to the trail `arn`, replacing the value of a key it has (its position kept). */
export async function addTrailTags(deps: TrailTagsDeps, settings: Pick<TrailSettings, 'homeRegion' | 'logFileValidation'>, arn: string, tags: TrailTagInput[], ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  requireTrail(arn, accountId, settings);
  checkTags(tags, true);
  await deps.store.lockForUpdate({ kind: 'account', id: accountId });
  const state = await currentTrailState(deps.store, accountId);
  const next = new Map(state.tags.map((t) => [t.key, t.value]));
  for (const tag of tags) next.set(tag.key, tag.value ?? '');
  if (next.size > MAX_TRAIL_TAGS) {
    throw new TagsLimitExceededError(`The number of tags per trail, event data store, dashboard, or channel has exceeded the permitted amount. Currently, the limit is ${MAX_TRAIL_TAGS}.`);
  }
  await deps.store.putAccountTrail({ ...state, tags: [...next].map(([key, value]) => ({ key, value })) });
}

/** RemoveTags: removes the keys of `tags` from the trail `arn` (a key it does not have is ignored, as on AWS). */
export async function removeTrailTags(deps: TrailTagsDeps, settings: Pick<TrailSettings, 'homeRegion' | 'logFileValidation'>, arn: string, tags: TrailTagInput[], ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  requireTrail(arn, accountId, settings);
  checkTags(tags, false);
  await deps.store.lockForUpdate({ kind: 'account', id: accountId });
  const state = await currentTrailState(deps.store, accountId);
  const gone = new Set(tags.map((t) => t.key));
  const kept = state.tags.filter((t) => !gone.has(t.key));
  if (kept.length !== state.tags.length) await deps.store.putAccountTrail({ ...state, tags: kept });
}
