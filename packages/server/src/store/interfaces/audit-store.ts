/** A resource an event touched, for `LookupEvents`' ResourceType/ResourceName filters. */
export interface AuditResource {
  /** CloudTrail's type, e.g. `AWS::IAM::User`. */
  type: string;
  /** The name or ARN CloudTrail reports. */
  name: string;
}

/** An event to append. `recordJson` is the exact CloudTrail record text, already redacted. */
export interface NewAuditEvent {
  eventId: string;
  accountId: string;
  eventTime: Date;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  username?: string;
  accessKeyId?: string;
  errorCode?: string;
  resources: AuditResource[];
  recordJson: string;
}

/** A stored event with its place in the hash chain. */
export interface AuditEventRow extends NewAuditEvent {
  /** 1, 2, 3, … in append order; never reused, even after retention deletes. */
  seq: number;
  /** The previous event's `hash`, the retention checkpoint's, or `GENESIS_HASH`. */
  prevHash: string;
  /** `chainHash(key, prevHash, seq, event)` (`store/chain-hash.ts`): keyed, and covers the record, every column and the resources. */
  hash: string;
}

/** `LookupEvents`' single `LookupAttribute`. */
export interface AuditLookupAttribute {
  key: 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';
  /** For `ReadOnly`: `true` or `false`. */
  value: string;
}

/** Where retention cut the chain: the last deleted event. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
}

/**
 * The audit trail's rows. Appends are serialized: SQLite runs every transaction as
 * `BEGIN IMMEDIATE` on one connection; PostgreSQL takes a transaction-scoped advisory lock of the
 * schema's chain before reading the chain head, so seqs are gap-free in commit order and each row's
 * `prevHash` is the hash of the row before it.
 */
export interface AuditStore {
  /**
   * Appends events in order, assigning `seq` (the highest seq ever assigned + 1, …), `prevHash`
   * and `hash`. Inside `transaction()` it joins that transaction, so a mutation and its event commit
   * together; outside, it runs in its own. Returns the stored chain fields in input order.
   * Outside a transaction an append is idempotent for a batch retried after its writer died: an
   * event stored already as it is (same columns and chain hash) is not stored again, and its stored
   * chain fields are returned in its place (so the returned seqs follow the input, not always rising).
   *
   * Every text (ids, names, resources, the record) is stored with NUL characters and lone UTF-16
   * surrogates replaced by U+FFFD, on both databases alike, and hashed as stored: no value a
   * caller can put in a request makes an append fail. Lookups compare attribute values the same way.
   */
  appendAuditEvents(events: NewAuditEvent[]): Promise<Array<{ eventId: string; seq: number; prevHash: string; hash: string }>>;
  /**
   * `LookupEvents`: one account's events, newest first (by `eventTime`, then `seq`), optionally
   * within `[startTime, endTime]` (inclusive) and matching one attribute. `cursor` is the previous
   * page's `nextCursor`; it is absent on the last page.
   */
  lookupAuditEvents(req: {
    accountId: string;
    startTime?: Date;
    endTime?: Date;
    attribute?: AuditLookupAttribute;
    limit: number;
    cursor?: string;
  }): Promise<{ events: AuditEventRow[]; nextCursor?: string }>;
  /** Events of all accounts with `seq >= fromSeq`, ascending (verification and export). */
  scanAuditEvents(req: { fromSeq: number; limit: number }): Promise<AuditEventRow[]>;
  /**
   * The resource rows stored under each of `seqs`, in order, whether or not an event row is left
   * at that seq (verification looks for an event's resources where a renumbering left them).
   * Seqs without resource rows are absent from the map.
   */
  getAuditResources(seqs: number[]): Promise<Map<number, AuditResource[]>>;
  /**
   * Retention: deletes every event with `seq <= seq` and records the last deleted event as the
   * checkpoint, in the same transaction, so the remaining chain still verifies from it. Returns the
   * number of events deleted; with nothing to delete the checkpoint is left as it was.
   */
  deleteAuditEventsThrough(seq: number): Promise<number>;
  /**
   * The chain hash of `event` at `seq` after `prevHash`, under this store's chain key (derived
   * from the master key it was opened with), in the current format or the keyed `format` given
   * (`store/chain-hash.ts`): verification recomputes stored hashes with it.
   */
  auditChainHash(prevHash: string, seq: number, event: NewAuditEvent, format?: 'v2' | 'v3'): string;
  /** The retention checkpoint, or `undefined` if nothing was ever deleted. */
  getAuditCheckpoint(): Promise<AuditCheckpoint | undefined>;
  /** The highest seq ever assigned and its hash (the chain head), or `undefined` for an empty trail. */
  getAuditHead(): Promise<AuditCheckpoint | undefined>;
}
