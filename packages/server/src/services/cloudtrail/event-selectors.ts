/**
 * cloudtrail:PutEventSelectors and GetEventSelectors on the account's trail: either basic event
 * selectors or advanced ones, checked against AWS's rules and kept in the trail's state as given
 * (JSON); GetEventSelectors answers them, or the default (every management event, as advanced
 * selectors) before any were put. The export applies them ({@link selectsEvent}) at each run, to
 * the events it delivers then (README, "The account's trail").
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import type { AccountTrailStore, Store } from '../../store/store.js';
import { findAccountTrail, type AccountTrail, type TrailReference, type TrailSettings } from './account-trail.js';
import { InvalidEventSelectorsError, InvalidHomeRegionError } from './cloudtrail-errors.js';
import { currentTrailState } from './trail-logging.js';

/** A basic event selector (CloudTrail's `EventSelector`). */
export interface BasicEventSelector {
  ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
  IncludeManagementEvents?: boolean;
  DataResources?: Array<{ Type?: string; Values?: string[] }>;
  ExcludeManagementEventSources?: string[];
}

/** An advanced event selector (CloudTrail's `AdvancedEventSelector`). */
export interface AdvancedSelector {
  Name?: string;
  FieldSelectors: Array<{ Field: string } & Partial<Record<(typeof OPERATORS)[number], string[]>>>;
}

/** The trail's selectors: one kind or the other, as AWS keeps them. */
export type TrailEventSelectors = { basic: BasicEventSelector[] } | { advanced: AdvancedSelector[] };

/** AWS: "You can configure up to five event selectors for each trail." */
export const MAX_BASIC_SELECTORS = 5;
/** AWS: up to 250 data resources (values) across a trail's basic selectors. */
export const MAX_DATA_RESOURCE_VALUES = 250;
/** AWS: up to 500 values across all conditions of a trail's advanced selectors. */
export const MAX_ADVANCED_VALUES = 500;

const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;
const DATA_RESOURCE_TYPES = new Set(['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table']);
const EXCLUDABLE_SOURCES = new Set(['kms.amazonaws.com', 'rdsdata.amazonaws.com']);
const ADVANCED_FIELDS = new Set(['eventCategory', 'eventSource', 'eventName', 'eventType', 'readOnly', 'resources.type', 'resources.ARN', 'errorCode', 'userIdentity.arn', 'sessionCredentialFromConsole', 'vpcEndpointId']);
const EVENT_CATEGORIES = new Set(['Management', 'Data', 'NetworkActivity']);

const invalid = (message: string): never => {
  throw new InvalidEventSelectorsError(message);
};

function checkBasic(selectors: BasicEventSelector[]): void {
  if (selectors.length > MAX_BASIC_SELECTORS) invalid(`A trail can have at most ${MAX_BASIC_SELECTORS} event selectors; ${selectors.length} were given.`);
  let values = 0;
  for (const s of selectors) {
    for (const source of s.ExcludeManagementEventSources ?? []) {
      if (!EXCLUDABLE_SOURCES.has(source)) invalid(`Invalid ExcludeManagementEventSources value ${source}: only kms.amazonaws.com and rdsdata.amazonaws.com can be excluded.`);
    }
    for (const r of s.DataResources ?? []) {
      if (r.Type === undefined || !DATA_RESOURCE_TYPES.has(r.Type)) invalid(`Invalid DataResource type ${r.Type ?? '(none)'}: basic event selectors accept AWS::S3::Object, AWS::Lambda::Function and AWS::DynamoDB::Table; use advanced event selectors for other types.`);
      values += r.Values?.length ?? 0;
    }
  }
  if (values > MAX_DATA_RESOURCE_VALUES) invalid(`A trail's event selectors can name at most ${MAX_DATA_RESOURCE_VALUES} data resources; ${values} were given.`);
}

function checkAdvanced(selectors: AdvancedSelector[]): void {
  let values = 0;
  for (const s of selectors) {
    const fields = new Map<string, AdvancedSelector['FieldSelectors'][number]>();
    for (const f of s.FieldSelectors) {
      if (!ADVANCED_FIELDS.has(f.Field)) invalid(`Invalid field ${f.Field} in advanced event selector${s.Name ? ` ${s.Name}` : ''}.`);
      if (fields.has(f.Field)) invalid(`Field ${f.Field} appears more than once in advanced event selector${s.Name ? ` ${s.Name}` : ''}.`);
      fields.set(f.Field, f);
      const used = OPERATORS.filter((op) => f[op] !== undefined);
      if (used.length === 0) invalid(`Field ${f.Field} has no operator: give Equals, StartsWith, EndsWith, NotEquals, NotStartsWith or NotEndsWith.`);
      for (const op of used) values += f[op]!.length;
      if ((f.Field === 'eventCategory' || f.Field === 'readOnly') && used.some((op) => op !== 'Equals')) invalid(`Field ${f.Field} accepts only the Equals operator.`);
      if (f.Field === 'readOnly' && f.Equals!.some((v) => v !== 'true' && v !== 'false')) invalid(`Field readOnly accepts only the values true and false.`);
    }
    const category = fields.get('eventCategory');
    if (!category) invalid(`Advanced event selector${s.Name ? ` ${s.Name}` : ''} has no eventCategory field: every selector needs one.`);
    for (const v of category!.Equals!) if (!EVENT_CATEGORIES.has(v)) invalid(`Invalid eventCategory value ${v}: use Management, Data or NetworkActivity.`);
    if (category!.Equals!.includes('Data') && !fields.get('resources.type')?.Equals?.length) {
      invalid(`Advanced event selector${s.Name ? ` ${s.Name}` : ''} selects data events without resources.type: a data event selector needs resources.type with Equals.`);
    }
  }
  if (values > MAX_ADVANCED_VALUES) invalid(`A trail's advanced event selectors can have at most ${MAX_ADVANCED_VALUES} values across all conditions; ${values} were given.`);
}

/** What PutEventSelectors reads and writes. */
export interface EventSelectorsDeps {
  store: Pick<Store, 'lockForUpdate'> & AccountTrailStore;
}

/** The selectors a put request carries, checked; `InvalidEventSelectorsException` when neither or both kinds are given or a rule is broken. */
export function checkedEventSelectors(input: { EventSelectors?: BasicEventSelector[]; AdvancedEventSelectors?: AdvancedSelector[] }): TrailEventSelectors {
  if (input.EventSelectors !== undefined && input.AdvancedEventSelectors !== undefined) invalid('Use either EventSelectors or AdvancedEventSelectors, not both.');
  if (input.AdvancedEventSelectors !== undefined) {
    if (input.AdvancedEventSelectors.length === 0) invalid('AdvancedEventSelectors is empty: give at least one selector.');
    checkAdvanced(input.AdvancedEventSelectors);
    return { advanced: input.AdvancedEventSelectors };
  }
  if (input.EventSelectors === undefined) invalid('Give EventSelectors or AdvancedEventSelectors.');
  checkBasic(input.EventSelectors!);
  return { basic: input.EventSelectors! };
}

/** PutEventSelectors: replaces the selectors of the trail `ref` names (from its home Region only, as on AWS). */
export async function putEventSelectors(deps: EventSelectorsDeps, settings: Pick<TrailSettings, 'homeRegion' | 'logFileValidation'>, ref: TrailReference, selectors: TrailEventSelectors, ctx: RequestContext): Promise<AccountTrail> {
  const accountId = ctx.caller.accountId;
  const trail = findAccountTrail(ref, { accountId, region: ctx.region }, settings);
  if (ctx.region !== trail.homeRegion) throw new InvalidHomeRegionError(`The trail ${trail.arn} can be changed only in its home Region, ${trail.homeRegion}.`);
  await deps.store.lockForUpdate({ kind: 'account', id: accountId });
  const state = await currentTrailState(deps.store, accountId);
  await deps.store.putAccountTrail({ ...state, eventSelectorsJson: JSON.stringify(selectors) });
  return trail;
}

/** The selectors stored for the account's trail, or undefined before any were put. */
export async function storedEventSelectors(store: Pick<AccountTrailStore, 'getAccountTrail'>, accountId: string): Promise<TrailEventSelectors | undefined> {
  const json = (await store.getAccountTrail(accountId))?.eventSelectorsJson;
  return json === undefined ? undefined : (JSON.parse(json) as TrailEventSelectors);
}

/** The members of a CloudTrail record the selectors look at (a delivered record, parsed). */
export interface SelectableRecord {
  eventCategory?: string;
  readOnly?: boolean;
  eventSource?: string;
  eventName?: string;
  eventType?: string;
  errorCode?: string;
  userIdentity?: { arn?: string };
  /** A top-level member of the record, `"true"` for a console session's call (absent otherwise). */
  sessionCredentialFromConsole?: string;
  vpcEndpointId?: string;
  resources?: Array<{ type?: string; ARN?: string }>;
}

/** A field's values in `record` (several for `resources.*`); a field the record lacks has none. */
function fieldValues(record: SelectableRecord, field: string): string[] {
  const one = (v: string | boolean | undefined): string[] => (v === undefined ? [] : [String(v)]);
  switch (field) {
    case 'eventCategory': return [record.eventCategory ?? 'Management'];
    case 'readOnly': return one(record.readOnly);
    case 'eventSource': return one(record.eventSource);
    case 'eventName': return one(record.eventName);
    case 'eventType': return one(record.eventType);
    case 'errorCode': return one(record.errorCode);
    case 'userIdentity.arn': return one(record.userIdentity?.arn);
    case 'sessionCredentialFromConsole': return one(record.sessionCredentialFromConsole);
    case 'vpcEndpointId': return one(record.vpcEndpointId);
    case 'resources.type': return (record.resources ?? []).flatMap((r) => one(r.type));
    case 'resources.ARN': return (record.resources ?? []).flatMap((r) => one(r.ARN));
    default: return [];
  }
}

/** One advanced condition: Equals/StartsWith/EndsWith match when any value does, the Not* ones when none does. */
function conditionHolds(condition: AdvancedSelector['FieldSelectors'][number], values: string[]): boolean {
  const any = (pred: (v: string) => boolean) => values.some(pred);
  const positive: Array<[string[] | undefined, (v: string, x: string) => boolean]> = [
    [condition.Equals, (v, x) => v === x], [condition.StartsWith, (v, x) => v.startsWith(x)], [condition.EndsWith, (v, x) => v.endsWith(x)],
  ];
  const negative: Array<[string[] | undefined, (v: string, x: string) => boolean]> = [
    [condition.NotEquals, (v, x) => v === x], [condition.NotStartsWith, (v, x) => v.startsWith(x)], [condition.NotEndsWith, (v, x) => v.endsWith(x)],
  ];
  const givenPositive = positive.filter(([xs]) => xs !== undefined);
  if (givenPositive.length > 0 && !givenPositive.some(([xs, match]) => xs!.some((x) => any((v) => match(v, x))))) return false;
  return negative.every(([xs, match]) => xs === undefined || !xs.some((x) => any((v) => match(v, x))));
}

/**
 * Whether the trail's selectors select `record` for delivery. No selectors: every event (the
 * default trail). Basic selectors: management events by `IncludeManagementEvents`,
 * `ReadWriteType` and `ExcludeManagementEventSources`; data events never (their types are
 * Castellan's services' own, which no basic `DataResources` type names). Advanced selectors: a
 * record is selected when every condition of some selector holds.
 */
export function selectsEvent(selectors: TrailEventSelectors | undefined, record: SelectableRecord): boolean {
  if (!selectors) return true;
  if ('advanced' in selectors) return selectors.advanced.some((s) => s.FieldSelectors.every((f) => conditionHolds(f, fieldValues(record, f.Field))));
  if ((record.eventCategory ?? 'Management') !== 'Management') return false;
  return selectors.basic.some((s) => {
    if (s.IncludeManagementEvents === false) return false;
    if (s.ReadWriteType === 'ReadOnly' && record.readOnly !== true) return false;
    if (s.ReadWriteType === 'WriteOnly' && record.readOnly !== false) return false;
    return !(s.ExcludeManagementEventSources ?? []).includes(record.eventSource ?? '');
  });
}
