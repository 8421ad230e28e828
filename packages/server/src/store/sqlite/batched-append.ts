/**
 * Batched audit appends on SQLite, as cheap and as short as possible on the event loop.
 * better-sqlite3 runs on the main thread, so the whole append blocks every request.
 *
 * - The batch (the read-only and refused calls' records, already held in memory for up to 200 ms)
 *   is written with prepared better-sqlite3 statements, one row at a time, in one synchronous
 *   `BEGIN IMMEDIATE … COMMIT`: Kysely would compile and bind a 2,600-parameter multi-row insert
 *   per chunk, which cost more CPU than SQLite's own work (bench/api/profile.js). The rows and their
 *   hashes are the same `chainAuditRows` gives the Kysely path (mutations' records), so both chain alike.
 * - A file database commits the batch with `synchronous = NORMAL`, so the commit does not stall
 *   the event loop on fsync (3 to 15 ms on the benchmark's disk), and then flushes the WAL with an
 *   asynchronous `fdatasync` on libuv's thread pool; the append resolves once that flush is done,
 *   so a resolved append is as durable as with FULL. Mutations and their records keep `FULL`, and
 *   their fsync also covers every earlier WAL frame.
 * - Then the WAL is checkpointed by `checkpointer`'s worker thread, not by a commit on this thread.
 *
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { GENESIS_HASH } from '../chain-hash.js';
import { AUDIT_CHECKPOINT_META_KEY, auditHeadOf, chainAuditRows } from '../sql/audit-events.js';
import type { Database } from '../sql/schema.js';
import type { AuditStore, NewAuditEvent } from '../store.js';
import { translateSqliteError } from './sqlite-errors.js';
import type { WalCheckpointer } from './wal-checkpointer.js';

const INSERT_EVENT = `insert into audit_events (seq, event_id, account_id, event_time, event_source, event_name, read_only,
  username, access_key_id, error_code, record, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_RESOURCE = `insert into audit_event_resources (seq, position, account_id, event_time, resource_type, resource_name)
  values (?, ?, ?, ?, ?, ?)`;

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
): AuditStore['appendAuditEvents'] {
  const statements = lazy(() => prepare(database, chainKey));
  let wal: Promise<FileHandle> | undefined;
  const flushWal = async (file: string): Promise<void> => {
    wal ??= open(file, 'r');
    try {
      await (await wal).datasync();
    } catch (err) {
      wal = undefined;
      throw err;
    }
  };
  return async (events) => {
    if (events.length === 0) return [];
    // Holding Kysely's one connection keeps every other statement out (no transaction is open on
    // it meanwhile, and no FULL commit runs until the pragma is back to FULL).
    const out = await db.connection().execute(async (): Promise<AppendResult> => {
      if (walFile) statements().normal.run();
      try {
        return statements().append.immediate(events);
      } catch (err) {
        throw translateSqliteError(err);
      } finally {
        if (walFile) statements().full.run();
      }
    });
    if (walFile) await flushWal(walFile);
    checkpointer?.appended(events.length);
    return out;
  };
}

type AppendResult = Array<{ eventId: string; seq: number; prevHash: string; hash: string }>;

/** The statements, prepared once the schema exists (after migration). */
function prepare(database: BetterSqlite3.Database, chainKey: Uint8Array) {
  const insertEvent = database.prepare(INSERT_EVENT);
  const insertResource = database.prepare(INSERT_RESOURCE);
  const last = database.prepare('select seq, hash from audit_events order by seq desc limit 1');
  const checkpoint = database.prepare('select value from meta where key = ?');
  // INVARIANT: run with `.immediate`: BEGIN IMMEDIATE takes the write lock before the head is read,
  // as the Kysely path's transactions do.
  const append = database.transaction((events: readonly NewAuditEvent[]): AppendResult => {
    const head = auditHeadOf(
      last.get() as { seq: number; hash: string } | undefined,
      (checkpoint.get(AUDIT_CHECKPOINT_META_KEY) as { value: string } | undefined)?.value,
    );
    const { rows, resources, out } = chainAuditRows(chainKey, head ?? { seq: 0, hash: GENESIS_HASH }, events);
    for (const r of rows) {
      insertEvent.run(r.seq, r.event_id, r.account_id, r.event_time, r.event_source, r.event_name, r.read_only,
        r.username, r.access_key_id, r.error_code, r.record, r.prev_hash, r.hash);
    }
    for (const r of resources) insertResource.run(r.seq, r.position, r.account_id, r.event_time, r.resource_type, r.resource_name);
    return out;
  });
  return { append, normal: database.prepare('pragma synchronous = normal'), full: database.prepare('pragma synchronous = full') };
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
