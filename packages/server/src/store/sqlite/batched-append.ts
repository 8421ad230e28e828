/**
 * Batched audit appends on SQLite, as cheap and as short as possible on the event loop: the path of
 * an in-memory database (and of a file one opened with `auditWorker: false`); a file database's
 * batches are written by a worker thread (`audit-append-worker.ts`).
 * better-sqlite3 runs on the main thread, so every statement blocks every request.
 *
 * - The batch (the read-only and refused calls' records, already held in memory for up to 200 ms)
 *   is written with prepared better-sqlite3 statements, one row at a time: Kysely compiled and
 *   bound a 2,600-parameter multi-row insert per chunk, which cost more CPU than SQLite's own
 *   work. The rows and hashes come from `chainAuditRows`, as on the Kysely path (mutations' records).
 * - One `BEGIN IMMEDIATE … COMMIT` on the held connection, `APPEND_SLICE` rows per turn of the
 *   event loop: the commit is then the longest stall left.
 * - A file database commits the batch with `synchronous = NORMAL`, so the commit does not stall
 *   the event loop on fsync (3 to 15 ms on the benchmark's disk), and then flushes the WAL with an
 *   asynchronous `fdatasync` on libuv's thread pool; the append resolves once that flush is done,
 *   so a resolved append is as durable as with FULL. Mutations and their records keep `FULL`, and
 *   their fsync also covers every earlier WAL frame.
 * - Then the WAL is checkpointed by `checkpointer`'s worker thread, not by a commit on this thread.
 *
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { GENESIS_HASH, chainHash } from '../chain-hash.js';
import { AUDIT_CHECKPOINT_META_KEY, STORED_AUDIT_ROW_COLUMNS, auditHeadOf, chainAuditRows, isAuditEventIdConflict, mergeAuditLinks, storedAuditLinks, type StoredAuditRow } from '../sql/audit-events.js';
import { storableText } from '../storable-text.js';
import type { Database } from '../sql/schema.js';
import type { AuditStore, NewAuditEvent } from '../store.js';
import { INSERT_EVENT, INSERT_RESOURCE } from './audit-append-worker.js';
import { relaxSync, restoreFullSync } from './full-sync.js';
import { translateSqliteError } from './sqlite-errors.js';
import type { WalCheckpointer } from './wal-checkpointer.js';
import { WalFlush } from './wal-flush.js';


/**
 * `appendAuditEvents` for appends outside any transaction. `db` is the Kysely instance whose one
 * connection is `database`; `walFile` is undefined for an in-memory database (nothing to sync).
 */
export function batchedAppend(
  db: Kysely<Database>,
  database: BetterSqlite3.Database,
  chainKey: Uint8Array,
  walFile: string | undefined,
  checkpointer?: WalCheckpointer,
): { append: AuditStore['appendAuditEvents']; settled(): Promise<void>; close(): Promise<void> } {
  const statements = lazy(() => prepare(database, chainKey));
  const wal = walFile ? new WalFlush(walFile) : undefined;
  /** The appends not settled yet (their WAL flush included): the store's close waits for them. */
  const inFlight = new Set<Promise<unknown>>();
  const settled = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };
  const append: AuditStore['appendAuditEvents'] = (events) => {
    const appended = appendNow(events);
    inFlight.add(appended);
    void appended.catch(() => undefined).finally(() => inFlight.delete(appended));
    return appended;
  };
  const appendNow: AuditStore['appendAuditEvents'] = async (events) => {
    if (events.length === 0) return [];
    // Holding Kysely's one connection keeps every other statement out (no transaction is open on
    // it meanwhile, and no FULL commit runs until the pragma is back to FULL).
    const out = await db.connection().execute(async (): Promise<AppendResult> => {
      const s = statements();
      if (walFile) relaxSync(database);
      try {
        try {
          return await appendInSlices(s, events, false);
        } catch (err) {
          // An id stored already: the batch may be one retried after its commit went unanswered.
          if (!isAuditEventIdConflict(translateSqliteError(err))) throw err;
          return await appendInSlices(s, events, true);
        }
      } catch (err) {
        throw translateSqliteError(err);
      } finally {
        if (walFile) restoreFullSync(database);
      }
    });
    await wal?.flush();
    checkpointer?.appended(events.length);
    return out;
  };
  /** Closes the WAL's file handle (Node warns about handles left to the garbage collector). */
  const close = async (): Promise<void> => {
    await wal?.close();
  };
  return { append, settled, close };
}

type AppendResult = Array<{ eventId: string; seq: number; prevHash: string; hash: string }>;

/** Events chained and inserted per turn of the event loop (each slice blocks it for well under a millisecond). */
export const APPEND_SLICE = 50;

type Statements = ReturnType<typeof prepare>;

/**
 * Appends `events` in one transaction, `APPEND_SLICE` at a time with a turn of the event loop
 * between slices, so requests that need no database go on meanwhile (the connection stays held).
 */
async function appendInSlices(s: Statements, all: readonly NewAuditEvent[], skipStored: boolean): Promise<AppendResult> {
  // INVARIANT: BEGIN IMMEDIATE takes the write lock before the head is read, as the Kysely path's transactions do.
  s.begin.run();
  try {
    let head = auditHeadOf(
      s.last.get() as { seq: number; hash: string } | undefined,
      (s.checkpoint.get(AUDIT_CHECKPOINT_META_KEY) as { value: string } | undefined)?.value,
    ) ?? { seq: 0, hash: GENESIS_HASH };
    // With `skipStored`, the events stored already as they are (`storedAuditLinks`) are left out.
    const links = skipStored
      ? storedAuditLinks(storableText, all, s.stored.all(JSON.stringify(all.map((e) => storableText(e.eventId)))) as StoredAuditRow[], (prev, seq, event) => chainHash(s.chainKey, prev, seq, event))
      : undefined;
    const events = links ? all.filter((_, i) => !links[i]) : all;
    const out: AppendResult = [];
    for (let i = 0; i < events.length; i += APPEND_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const chained = chainAuditRows(s.chainKey, head, events.slice(i, i + APPEND_SLICE));
      for (const r of chained.rows) {
        s.insertEvent.run(r.seq, r.event_id, r.account_id, r.event_time, r.event_source, r.event_name, r.read_only,
          r.username, r.access_key_id, r.error_code, r.record, r.prev_hash, r.hash);
      }
      for (const r of chained.resources) s.insertResource.run(r.seq, r.position, r.account_id, r.event_time, r.resource_type, r.resource_name);
      out.push(...chained.out);
      const last = chained.out[chained.out.length - 1]!;
      head = { seq: last.seq, hash: last.hash };
    }
    s.commit.run();
    return links ? mergeAuditLinks(links, out) : out;
  } catch (err) {
    if (s.database.inTransaction) s.rollback.run();
    throw err;
  }
}

/** The statements, prepared once the schema exists (after migration). */
function prepare(database: BetterSqlite3.Database, chainKey: Uint8Array) {
  return {
    database,
    chainKey,
    insertEvent: database.prepare(INSERT_EVENT),
    insertResource: database.prepare(INSERT_RESOURCE),
    last: database.prepare('select seq, hash from audit_events order by seq desc limit 1'),
    checkpoint: database.prepare('select value from meta where key = ?'),
    stored: database.prepare(`select ${STORED_AUDIT_ROW_COLUMNS} from audit_events where event_id in (select value from json_each(?))`),
    begin: database.prepare('begin immediate'),
    commit: database.prepare('commit'),
    rollback: database.prepare('rollback'),
  };
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
