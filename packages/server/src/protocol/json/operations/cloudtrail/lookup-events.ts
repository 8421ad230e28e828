/**
 * cloudtrail:LookupEvents: the caller's account's events, newest first, filtered by at most one
 * lookup attribute and a time range, 1..50 per page (default 50), paged by an opaque NextToken
 * that is only valid with the parameters it was issued for (as AWS enforces).
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
import { createHash } from 'node:crypto';
import type { AuditEventQuery, AuditLookupAttribute } from '../../../../domain/audit-events.js';
import { InvalidLookupAttributesError, InvalidMaxResultsError, InvalidNextTokenError, InvalidTimeRangeError } from '../../../../services/cloudtrail/cloudtrail-errors.js';
import { lookupEvents as lookupEventsService, type LookupEventsDeps } from '../../../../services/cloudtrail/lookup-events.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { Event, LookupEventsRequest, LookupEventsResponse } from '../../../model/cloudtrail-types.js';

/** LookupEvents' page size when `MaxResults` is absent, and its maximum. */
export const LOOKUP_MAX_RESULTS = 50;

const ATTRIBUTE_KEYS = new Set<AuditLookupAttribute['key']>(['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId']);

/** AWS's limit on `AttributeValue`, in its own counting (see {@link attributeValueLength}). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 2000;

/** The length CloudTrail counts against the limit: `_`, space, `,` and newline count as two. */
function attributeValueLength(value: string): number {
  let n = 0;
  for (const ch of value) n += ch === '_' || ch === ' ' || ch === ',' || ch === '\n' ? 2 : 1;
  return n;
}

/** The checked form of a LookupEvents request. */
export type LookupQuery = AuditEventQuery;

/** Checks a request as CloudTrail does and turns it into a store query for `accountId`. */
export function parseLookupRequest(input: LookupEventsRequest, accountId: string): LookupQuery {
  // CloudTrail's reference: the list "can contain only one item". Given more, CloudTrail applies the
  // first and ignores the rest without an error (observed on a live account, zb-ss/servonaut#103).
  const attrs = input.LookupAttributes ?? [];
  let attribute: AuditLookupAttribute | undefined;
  if (attrs.length > 0) {
    const { AttributeKey: key, AttributeValue: value } = attrs[0]!;
    if (!ATTRIBUTE_KEYS.has(key as AuditLookupAttribute['key'])) throw new InvalidLookupAttributesError(`The attribute key ${String(key)} is not valid.`);
    if (typeof value !== 'string' || value === '') throw new InvalidLookupAttributesError('AttributeValue must be specified.');
    if (attributeValueLength(value) > MAX_ATTRIBUTE_VALUE_LENGTH) {
      throw new InvalidLookupAttributesError(`AttributeValue must be at most ${MAX_ATTRIBUTE_VALUE_LENGTH} characters long ('_', ' ', ',' and newline count as two).`);
    }
    if (key === 'ReadOnly' && value !== 'true' && value !== 'false') {
      throw new InvalidLookupAttributesError('The value of the ReadOnly lookup attribute must be true or false.');
    }
    attribute = { key: key as AuditLookupAttribute['key'], value };
  }
  if (input.StartTime && input.EndTime && input.StartTime.getTime() > input.EndTime.getTime()) {
    throw new InvalidTimeRangeError('Start time must be before end time.');
  }
  const limit = input.MaxResults ?? LOOKUP_MAX_RESULTS;
  if (!Number.isInteger(limit) || limit < 1 || limit > LOOKUP_MAX_RESULTS) {
    throw new InvalidMaxResultsError(`MaxResults must be between 1 and ${LOOKUP_MAX_RESULTS}.`);
  }
  const query: LookupQuery = {
    limit,
    ...(attribute ? { attribute } : {}),
    ...(input.StartTime ? { startTime: ceilToSecond(input.StartTime) } : {}),
    ...(input.EndTime ? { endTime: endOfSecond(input.EndTime) } : {}),
  };
  if (input.NextToken !== undefined) query.cursor = openToken(input.NextToken, paramsDigest(query, accountId));
  return query;
}

/*
 * CloudTrail keeps event times to the second: a record's `eventTime` has no fraction, and an event
 * is in [StartTime, EndTime] when that second is. Castellan stores milliseconds, so the range is
 * widened to whole seconds: a start time rounds up to its next whole second, an end time covers
 * the rest of its second. A range naming a record's own `eventTime` then finds it.
 */
function ceilToSecond(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / 1000) * 1000);
}

function endOfSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000 + 999);
}

/** What ties a token to the request parameters it was issued for (paging size excluded, as AWS). */
function paramsDigest(q: LookupQuery, accountId: string): string {
  const text = JSON.stringify([accountId, q.attribute?.key ?? null, q.attribute?.value ?? null, q.startTime?.getTime() ?? null, q.endTime?.getTime() ?? null]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

function sealToken(cursor: string, digest: string): string {
  return Buffer.from(JSON.stringify({ p: digest, c: cursor }), 'utf8').toString('base64url');
}

function openToken(token: string, digest: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidNextTokenError('Invalid NextToken.');
  }
  const t = parsed as { p?: unknown; c?: unknown } | null;
  if (!t || typeof t.c !== 'string' || typeof t.p !== 'string') throw new InvalidNextTokenError('Invalid NextToken.');
  if (t.p !== digest) throw new InvalidNextTokenError('The NextToken does not match the request parameters it was issued for.');
  return t.c;
}

/** The LookupEvents operation; it reads only the store's event lookup. */
export const lookupEvents = cloudTrailOperation<'LookupEvents', LookupEventsDeps>('LookupEvents', {
  resource: () => '*',
  async execute(input, ctx, deps): Promise<LookupEventsResponse> {
    const accountId = ctx.caller.accountId;
    const query = parseLookupRequest(input, accountId);
    // CloudTrail holds no Insights events here: asking for them yields none.
    if (input.EventCategory === 'insight') return { Events: [] };
    const page = await lookupEventsService(deps, query, ctx);
    const events: Event[] = page.events.map((e) => ({
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly),
      ...(e.accessKeyId ? { AccessKeyId: e.accessKeyId } : {}),
      // To the second, as the record's `eventTime` and AWS's responses are.
      EventTime: new Date(Math.floor(e.eventTime.getTime() / 1000) * 1000),
      EventSource: e.eventSource,
      ...(e.username ? { Username: e.username } : {}),
      Resources: e.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
      CloudTrailEvent: e.recordJson,
    }));
    return {
      Events: events,
      ...(page.nextCursor ? { NextToken: sealToken(page.nextCursor, paramsDigest(query, accountId)) } : {}),
    };
  },
});
