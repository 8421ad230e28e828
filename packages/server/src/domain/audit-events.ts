/**
 * The audit trail as LookupEvents sees it: one recorded event, and the query that finds events.
 * Services map the store's rows to these; the wire never sees a row.
 *
 * @module
 */

/** One resource an event names. */
export interface AuditEventResource {
  type: string;
  name: string;
}

/** One recorded event: its summary fields and the exact CloudTrail record. */
export interface AuditEventView {
  eventId: string;
  eventName: string;
  eventSource: string;
  eventTime: Date;
  readOnly: boolean;
  username?: string;
  accessKeyId?: string;
  resources: AuditEventResource[];
  /** The CloudTrail record as written (already redacted). */
  recordJson: string;
}

/** The one attribute a lookup may filter on. */
export interface AuditLookupAttribute {
  key: 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';
  /** For `ReadOnly`: `true` or `false`. */
  value: string;
}

/** A checked lookup of one account's events, newest first. */
export interface AuditEventQuery {
  attribute?: AuditLookupAttribute;
  /** Inclusive. */
  startTime?: Date;
  /** Inclusive. */
  endTime?: Date;
  limit: number;
  /** The previous page's `nextCursor`. */
  cursor?: string;
}

/** One page of events; `nextCursor` is absent on the last page. */
export interface AuditEventPage {
  events: AuditEventView[];
  nextCursor?: string;
}
