import { sql, type Expression, type SqlBool } from 'kysely';
import { GENESIS_HASH, chainHash } from '../chain-hash.js';
import { storableText } from '../storable-text.js';
import { StoreConflictError } from '../store-errors.js';
import type { AuditCheckpoint, AuditEventRow, AuditLookupAttribute, AuditResource, AuditStore, NewAuditEvent } from '../store.js';
import { INSERT_CHUNK, IN_CHUNK, chunks } from './batches.js';
import { date, ms } from './columns.js';
import { before } from './conditions.js';
import { decodeMarker, encodeMarker } from './markers.js';
import { sqlMetaStore } from './meta.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** The meta key holding the last deleted event's seq and hash (JSON). @internal */
export const AUDIT_CHECKPOINT_META_KEY = 'audit.checkpoint';
const CHECKPOINT_META_KEY = AUDIT_CHECKPOINT_META_KEY;

type ChainFields = { eventId: string; seq: number; prevHash: string; hash: string };
type LookupFilter = { accountId: string; startTime?: Date; endTime?: Date; attribute?: AuditLookupAttribute };

/**
 * `AuditStore` on SQL. Appends take the dialect's chain lock (`SqlDialectHooks.lockAuditChain`)
 * before reading the chain head, inside the transaction that inserts the rows. Every text of an
 * event goes through `storableText` first (NUL and lone surrogates become U+FFFD), and the hash is
 * computed over the text as stored, so no caller-supplied character can make an append fail on one
 * database and not the other. An append outside any transaction that meets a stored event id is
 * tried once more, skipping the events stored as they are (`storedAuditLinks`): a retried batch.
 *
 * @internal
 */
export function sqlAuditStore(ctx: SqlContext): AuditStore {
  return {
    async appendAuditEvents(events) {
      if (events.length === 0) return [];
      const append = (skipStored: boolean) => ctx.atomic(async (tx) => {
        const db = tx.db;
        await tx.hooks.lockAuditChain(db);
        const links = skipStored ? storedAuditLinks(storableText, events, await storedAuditRows(tx, events), (prev, seq, event) => chainHash(tx.auditChainKey, prev, seq, event)) : undefined;
        const fresh = links ? events.filter((_, i) => !links[i]) : events;
        const { rows, resources, out } = chainAuditRows(tx.auditChainKey, (await auditHead(tx)) ?? { seq: 0, hash: GENESIS_HASH }, fresh);
        for (const chunk of chunks(rows, INSERT_CHUNK)) await db.insertInto('audit_events').values(chunk).execute();
        for (const chunk of chunks(resources, INSERT_CHUNK)) await db.insertInto('audit_event_resources').values(chunk).execute();
        return links ? mergeAuditLinks(links, out) : out;
      });
      try {
        return await append(false);
      } catch (err) {
        // Inside a caller's transaction (a mutation's event) nothing can be retried, nor stored before.
        if (ctx.inTransaction || !isAuditEventIdConflict(err)) throw err;
        return append(true);
      }
    },

    async lookupAuditEvents(req) {
      const limit = Math.max(1, Math.floor(req.limit));
      const cursor = req.cursor ? decodeMarker('audit', req.cursor, ['number', 'number']) : undefined;
      const run = async (tx: SqlContext) => {
        await tx.hooks.prepareAuditLookup?.(tx.db);
        const attribute = req.attribute && { ...req.attribute, value: storableText(req.attribute.value) };
        const seqs = await lookupAuditSeqs(tx, { ...req, ...(attribute ? { attribute } : {}) }, limit + 1, cursor);
        const events = await loadAuditEvents(tx, seqs.slice(0, limit));
        events.sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime() || b.seq - a.seq);
        const last = events[events.length - 1];
        return {
          events,
          ...(seqs.length > limit && last ? { nextCursor: encodeAuditCursor(last) } : {}),
        };
      };
      return ctx.hooks.prepareAuditLookup ? ctx.atomic(run) : run(ctx);
    },

    async scanAuditEvents(req) {
      const rows = await ctx.db.selectFrom('audit_events').selectAll().where('seq', '>=', req.fromSeq)
        .orderBy('seq').limit(Math.max(1, Math.floor(req.limit))).execute();
      return withResources(ctx, rows);
    },

    async getAuditResources(seqs) {
      const out = new Map<number, AuditResource[]>();
      for (const chunk of chunks([...new Set(seqs)], IN_CHUNK)) {
        const rows = await ctx.db.selectFrom('audit_event_resources').select(['seq', 'resource_type', 'resource_name'])
          .where('seq', 'in', chunk).orderBy('seq').orderBy('position').execute();
        for (const r of rows) {
          const seq = Number(r.seq);
          out.set(seq, [...(out.get(seq) ?? []), { type: r.resource_type, name: r.resource_name }]);
        }
      }
      return out;
    },

    deleteAuditEventsThrough: (seq) => ctx.atomic(async (tx) => {
      const db = tx.db;
      await tx.hooks.lockAuditChain(db);
      const last = await db.selectFrom('audit_events').select(['seq', 'hash']).where('seq', '<=', seq).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      if (!last) return 0;
      await db.deleteFrom('audit_event_resources').where('seq', '<=', last.seq).execute();
      const result = await db.deleteFrom('audit_events').where('seq', '<=', last.seq).executeTakeFirst();
      const checkpoint: AuditCheckpoint = { seq: Number(last.seq), hash: last.hash };
      await sqlMetaStore(tx).setMeta(CHECKPOINT_META_KEY, JSON.stringify(checkpoint));
      return Number(result.numDeletedRows);
    }),

    auditChainHash: (prevHash, seq, event, format) => chainHash(ctx.auditChainKey, prevHash, seq, event, format),
    getAuditCheckpoint: () => auditCheckpoint(ctx),
    getAuditHead: () => auditHead(ctx),
  };
}

/**
 * What an idempotent append reads of a stored event to tell whether a new one is the very same: the
 * `audit_events` row, its numbers as either driver gives them (PostgreSQL's bigint as text, its
 * boolean). @internal
 */
export type StoredAuditRow = Omit<Database['audit_events'], 'seq' | 'event_time' | 'read_only'> & {
  seq: number | bigint | string;
  event_time: number | bigint | string;
  read_only: number | boolean;
};

/** The columns of {@link StoredAuditRow}, for the dialects' own queries. @internal */
export const STORED_AUDIT_ROW_COLUMNS = 'seq, event_id, account_id, event_time, event_source, event_name, read_only, username, access_key_id, error_code, record, prev_hash, hash';

/**
 * Idempotent appends (a batch retried after its writer died between its commit and its answer):
 * for each of `events`, the chain fields of the stored row that is the very same event (same id,
 * account, time, source, name, read-only flag, user name, access key, error code and record text,
 * each as stored, and the row's hash recomputed over the event at that row's place in the chain with
 * `hash`, which also covers its resources), or `undefined` for an event to append. An event whose id is stored with anything
 * else is left to append, so it is refused on the unique id as before (a genuine clash). Each
 * stored row matches one event of the batch at most: a second copy is refused likewise.
 *
 * INVARIANT: self-contained (no module-level names), because the audit workers evaluate its
 * source (`workerSource` in `store/sql/audit-append-worker.ts`).
 *
 * @internal
 */
export function storedAuditLinks(
  storable: (text: string) => string,
  events: readonly NewAuditEvent[],
  stored: readonly StoredAuditRow[],
  hash: (prevHash: string, seq: number, event: NewAuditEvent) => string,
): Array<ChainFields | undefined> {
  const byId = new Map(stored.map((r) => [r.event_id, r]));
  const text = (v: string | undefined): string | null => (v === undefined ? null : storable(v));
  return events.map((e) => {
    const r = byId.get(storable(e.eventId));
    if (!r || r.account_id !== storable(e.accountId) || Number(r.event_time) !== e.eventTime.getTime()
      || r.event_source !== storable(e.eventSource) || r.event_name !== storable(e.eventName) || Boolean(Number(r.read_only)) !== e.readOnly
      || r.username !== text(e.username) || r.access_key_id !== text(e.accessKeyId) || r.error_code !== text(e.errorCode)
      || r.record !== storable(e.recordJson)) return undefined;
    // The columns leave out what else the hash covers (the event's resources): the stored hash,
    // recomputed over the event as stored at that row's place in the chain, must be the same.
    const asStored: NewAuditEvent = {
      ...e,
      eventId: r.event_id,
      accountId: r.account_id,
      eventSource: r.event_source,
      eventName: r.event_name,
      resources: e.resources.map((x) => ({ type: storable(x.type), name: storable(x.name) })),
      recordJson: r.record,
    };
    if (r.username !== null) asStored.username = r.username;
    if (r.access_key_id !== null) asStored.accessKeyId = r.access_key_id;
    if (r.error_code !== null) asStored.errorCode = r.error_code;
    if (hash(r.prev_hash, Number(r.seq), asStored) !== r.hash) return undefined;
    byId.delete(r.event_id);
    return { eventId: r.event_id, seq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash };
  });
}

/**
 * What an append returns for all of its events: `links` (from `storedAuditLinks`) where an event
 * was stored already, and `appended` (the chain fields of the others, in order) elsewhere.
 *
 * INVARIANT: self-contained (see `storedAuditLinks`).
 *
 * @internal
 */
export function mergeAuditLinks(links: ReadonlyArray<ChainFields | undefined>, appended: readonly ChainFields[]): ChainFields[] {
  let next = 0;
  return links.map((link) => link ?? appended[next++]!);
}

/** Whether `err` is the store's refusal of an audit event whose id is stored already. @internal */
export function isAuditEventIdConflict(err: unknown): boolean {
  if (err instanceof StoreConflictError) return err.entity === 'audit_events' && (err.constraint === undefined || err.constraint.includes('event_id'));
  return false;
}

/** The stored rows of `events`' ids (under the chain lock, in the append's transaction). */
async function storedAuditRows(ctx: SqlContext, events: readonly NewAuditEvent[]): Promise<StoredAuditRow[]> {
  const out: StoredAuditRow[] = [];
  for (const chunk of chunks([...new Set(events.map((e) => storableText(e.eventId)))], IN_CHUNK)) {
    out.push(...await ctx.db.selectFrom('audit_events')
      .select(['seq', 'event_id', 'account_id', 'event_time', 'event_source', 'event_name', 'read_only', 'username', 'access_key_id', 'error_code', 'record', 'prev_hash', 'hash'])
      .where('event_id', 'in', chunk).execute());
  }
  return out;
}

/** The rows of `events` (texts made storable) chained after `head`, and what the append returns. */
export interface ChainedAuditRows {
  rows: Database['audit_events'][];
  resources: Database['audit_event_resources'][];
  out: ChainFields[];
}

/**
 * Chains `events` after `head` under `key`: the rows to insert, exactly as stored and hashed. The
 * caller holds the chain lock and inserts them in the same transaction (`chain-hash.ts`).
 *
 * @internal
 */
export function chainAuditRows(key: Uint8Array, head: AuditCheckpoint, events: readonly NewAuditEvent[]): ChainedAuditRows {
  return chainAuditRowsWith((prevHash, seq, event) => chainHash(key, prevHash, seq, event), storableText, head, events);
}

/**
 * `chainAuditRows` with its hash and `storableText` given: each audit worker runs this very
 * function on its own thread, with the same two functions evaluated there.
 *
 * INVARIANT: self-contained (no module-level names), because the audit workers evaluate its
 * source (`workerSource` in `store/sql/audit-append-worker.ts`).
 *
 * @internal
 */
export function chainAuditRowsWith(
  hash: (prevHash: string, seq: number, event: NewAuditEvent) => string,
  storable: (text: string) => string,
  head: AuditCheckpoint,
  events: readonly NewAuditEvent[],
): ChainedAuditRows {
  const storableOrUndefined = (text: string | undefined): string | undefined => (text === undefined ? undefined : storable(text));
  const same = (text: string | undefined): boolean => text === undefined || storable(text) === text;
  /** The event with every text as the databases can store it (`storable-text.ts`); nearly always itself. */
  const storableEvent = (event: NewAuditEvent): NewAuditEvent => {
    if (same(event.eventId) && same(event.accountId) && same(event.eventSource) && same(event.eventName) && same(event.username)
      && same(event.accessKeyId) && same(event.errorCode) && same(event.recordJson) && event.resources.every((r) => same(r.type) && same(r.name))) return event;
    const username = storableOrUndefined(event.username);
    const accessKeyId = storableOrUndefined(event.accessKeyId);
    const errorCode = storableOrUndefined(event.errorCode);
    return {
      ...event,
      eventId: storable(event.eventId),
      accountId: storable(event.accountId),
      eventSource: storable(event.eventSource),
      eventName: storable(event.eventName),
      ...(username !== undefined ? { username } : {}),
      ...(accessKeyId !== undefined ? { accessKeyId } : {}),
      ...(errorCode !== undefined ? { errorCode } : {}),
      resources: event.resources.map((r) => ({ type: storable(r.type), name: storable(r.name) })),
      recordJson: storable(event.recordJson),
    };
  };
  let prev = head;
  const rows: ChainedAuditRows['rows'] = [];
  const resources: ChainedAuditRows['resources'] = [];
  const out: ChainedAuditRows['out'] = [];
  for (const original of events) {
    const event = storableEvent(original);
    const seq = prev.seq + 1;
    const eventTime = event.eventTime.getTime();
    if (!Number.isFinite(eventTime)) throw new TypeError('invalid date');
    const rowHash = hash(prev.hash, seq, event);
    rows.push({
      seq,
      event_id: event.eventId,
      account_id: event.accountId,
      event_time: eventTime,
      event_source: event.eventSource,
      event_name: event.eventName,
      read_only: event.readOnly ? 1 : 0,
      username: event.username ?? null,
      access_key_id: event.accessKeyId ?? null,
      error_code: event.errorCode ?? null,
      record: event.recordJson,
      prev_hash: prev.hash,
      hash: rowHash,
    });
    event.resources.forEach((r, position) => resources.push({
      seq, position, account_id: event.accountId, event_time: eventTime, resource_type: r.type, resource_name: r.name,
    }));
    out.push({ eventId: event.eventId, seq, prevHash: prev.hash, hash: rowHash });
    prev = { seq, hash: rowHash };
  }
  return { rows, resources, out };
}

async function auditCheckpoint(ctx: SqlContext): Promise<AuditCheckpoint | undefined> {
  return parseCheckpoint(await sqlMetaStore(ctx).getMeta(CHECKPOINT_META_KEY));
}

function parseCheckpoint(value: string | undefined): AuditCheckpoint | undefined {
  if (value === undefined) return undefined;
  const parsed = JSON.parse(value) as AuditCheckpoint;
  return { seq: Number(parsed.seq), hash: String(parsed.hash) };
}

async function auditHead(ctx: SqlContext): Promise<AuditCheckpoint | undefined> {
  const last = await ctx.db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return auditHeadOf(last, await sqlMetaStore(ctx).getMeta(CHECKPOINT_META_KEY));
}

/**
 * The chain's head from its last row and the retention checkpoint (the meta value
 * `AUDIT_CHECKPOINT_META_KEY`, as stored); `undefined` before the first event.
 *
 * INVARIANT: self-contained (no module-level names), because the audit workers evaluate its
 * source (`workerSource` in `store/sql/audit-append-worker.ts`).
 *
 * @internal
 */
export function auditHeadOf(last: { seq: number | bigint | string; hash: string } | undefined, checkpointValue: string | undefined): AuditCheckpoint | undefined {
  const parsed = checkpointValue === undefined ? undefined : JSON.parse(checkpointValue) as AuditCheckpoint;
  const checkpoint = parsed && { seq: Number(parsed.seq), hash: String(parsed.hash) };
  // INVARIANT: after retention deleted every row, the chain continues from the checkpoint, so a
  // seq is never reused and the next row's prevHash is the last deleted row's hash.
  if (last && (!checkpoint || Number(last.seq) > checkpoint.seq)) return { seq: Number(last.seq), hash: last.hash };
  return checkpoint;
}

/** The seqs of one lookup page (plus one, to tell whether more follow), newest first. */
async function lookupAuditSeqs(ctx: SqlContext, req: LookupFilter, fetch: number, cursor: Array<string | number> | undefined): Promise<number[]> {
  const attribute = req.attribute;
  if (attribute && (attribute.key === 'ResourceType' || attribute.key === 'ResourceName')) {
    const column = attribute.key === 'ResourceType' ? 'resource_type' : 'resource_name';
    let query = ctx.db.selectFrom('audit_event_resources').select(['seq', 'event_time']).distinct()
      .where('account_id', '=', req.accountId).where(column, '=', attribute.value);
    if (req.startTime) query = query.where('event_time', '>=', ms(req.startTime));
    if (req.endTime) query = query.where('event_time', '<=', ms(req.endTime));
    if (cursor) query = query.where(before(['event_time', 'seq'], cursor));
    const rows = await query.orderBy('event_time', 'desc').orderBy('seq', 'desc').limit(fetch).execute();
    return rows.map((r) => Number(r.seq));
  }
  let query = ctx.db.selectFrom('audit_events').select(['seq']).where('account_id', '=', req.accountId);
  if (attribute?.key === 'EventId') {
    // event_id is unique: its own index finds the one row, and one row needs no ORDER BY (with
    // sorting penalized, PostgreSQL would otherwise walk the account's whole time index instead).
    query = query.where('event_id', '=', attribute.value);
    if (req.startTime) query = query.where('event_time', '>=', ms(req.startTime));
    if (req.endTime) query = query.where('event_time', '<=', ms(req.endTime));
    if (cursor) query = query.where(before(['event_time', 'seq'], cursor));
    return (await query.execute()).map((r) => Number(r.seq));
  }
  if (attribute) query = query.where(auditAttributeFilter(attribute));
  if (req.startTime) query = query.where('event_time', '>=', ms(req.startTime));
  if (req.endTime) query = query.where('event_time', '<=', ms(req.endTime));
  if (cursor) query = query.where(before(['event_time', 'seq'], cursor));
  const rows = await query.orderBy('event_time', 'desc').orderBy('seq', 'desc').limit(fetch).execute();
  return rows.map((r) => Number(r.seq));
}

async function loadAuditEvents(ctx: SqlContext, seqs: number[]): Promise<AuditEventRow[]> {
  if (seqs.length === 0) return [];
  const rows = await ctx.db.selectFrom('audit_events').selectAll().where('seq', 'in', seqs).execute();
  return withResources(ctx, rows);
}

/** The events of `rows` with their resources, in the order given. */
async function withResources(ctx: SqlContext, rows: Database['audit_events'][]): Promise<AuditEventRow[]> {
  const bySeq = new Map<number, AuditEventRow>();
  for (const row of rows) bySeq.set(Number(row.seq), toAuditEvent(row));
  for (const chunk of chunks([...bySeq.keys()], IN_CHUNK)) {
    const resources = await ctx.db.selectFrom('audit_event_resources').select(['seq', 'resource_type', 'resource_name'])
      .where('seq', 'in', chunk).orderBy('seq').orderBy('position').execute();
    for (const r of resources) bySeq.get(Number(r.seq))?.resources.push({ type: r.resource_type, name: r.resource_name });
  }
  return [...bySeq.values()];
}

function auditAttributeFilter(attribute: AuditLookupAttribute): Expression<SqlBool> {
  switch (attribute.key) {
    case 'EventId': return sql<SqlBool>`event_id = ${attribute.value}`;
    case 'EventName': return sql<SqlBool>`event_name = ${attribute.value}`;
    case 'Username': return sql<SqlBool>`username = ${attribute.value}`;
    case 'EventSource': return sql<SqlBool>`event_source = ${attribute.value}`;
    case 'AccessKeyId': return sql<SqlBool>`access_key_id = ${attribute.value}`;
    case 'ReadOnly': return sql<SqlBool>`read_only = ${attribute.value.toLowerCase() === 'true' ? 1 : 0}`;
    default: throw new TypeError(`lookup attribute \`${attribute.key}\` is not a column filter`);
  }
}

function encodeAuditCursor(event: AuditEventRow): string {
  return encodeMarker('audit', [event.eventTime.getTime(), event.seq]);
}

function toAuditEvent(r: Database['audit_events']): AuditEventRow {
  return {
    seq: Number(r.seq),
    eventId: r.event_id,
    accountId: r.account_id,
    eventTime: date(r.event_time),
    eventSource: r.event_source,
    eventName: r.event_name,
    readOnly: Number(r.read_only) === 1,
    ...(r.username !== null ? { username: r.username } : {}),
    ...(r.access_key_id !== null ? { accessKeyId: r.access_key_id } : {}),
    ...(r.error_code !== null ? { errorCode: r.error_code } : {}),
    resources: [],
    recordJson: r.record,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
