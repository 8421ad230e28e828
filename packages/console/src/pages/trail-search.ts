/**
 * A search of the audit trail as it was run: the form's fields are copied when a search runs, and
 * its next pages ("Load more") are read with that copy, so a field changed since then cannot mix
 * another search's events into the list (LookupEvents' NextToken goes on from the search it came from).
 */

export const TRAIL_ATTRIBUTES = ['EventName', 'Username', 'EventSource', 'ReadOnly', 'ResourceType', 'ResourceName', 'AccessKeyId', 'EventId'] as const;
export type TrailAttribute = (typeof TRAIL_ATTRIBUTES)[number];

export interface TrailSearch {
  attribute: TrailAttribute;
  /** The attribute's value; empty: every event of the range. */
  value: string;
  /** From and To as `datetime-local` values (local time); empty: open. */
  start: string;
  end: string;
  /** "Refused calls only". */
  only: boolean;
}

/** A `datetime-local` value (local time, to the minute) for `d`. */
export const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** The LookupEvents input of the page of `search` that `token` names (none: the first). */
export function lookupInput(search: TrailSearch, token?: string): Record<string, unknown> {
  const value = search.value.trim();
  return {
    ...(value ? { LookupAttributes: [{ AttributeKey: search.attribute, AttributeValue: value }] } : {}),
    ...(search.start ? { StartTime: new Date(search.start).getTime() / 1000 } : {}),
    ...(search.end ? { EndTime: new Date(search.end).getTime() / 1000 } : {}),
    MaxResults: 50,
    ...(token ? { NextToken: token } : {}),
  };
}

/** What `#/trail/refused` searches, whatever the form held: every refused call of the hour before `now`. */
export function refusedRouteSearch(now: Date): TrailSearch {
  return { attribute: 'EventName', value: '', start: localInput(new Date(now.getTime() - 60 * 60_000)), end: '', only: true };
}
