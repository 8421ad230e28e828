/**
 * A file database's batched audit appends, written by a worker thread with its own better-sqlite3
 * connection to the same file (WAL): better-sqlite3 is synchronous, so on the server's connection
 * every statement of an append blocked every request. What both dialects share, and why:
 * `sql/audit-append-worker.ts`. Here besides:
 *
 * - No request waits on the worker's write lock: while the worker writes, the append holds the
 *   server's one Kysely connection (as the inline path did), so the server's transactions queue
 *   on it instead of sleeping in SQLite's busy handler on the event loop. Reads that find the
 *   connection held queue as well, for the few milliseconds of one batch.
 * - Durability as before: the worker commits with `synchronous = NORMAL`, releases the connection,
 *   then `fdatasync`s the WAL; the append resolves after that, as durable as with FULL.
 * - The WAL checkpointer's worker checkpoints; the worker's commits never do.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { AuditAppendWorker, workerChainData, workerSource, type CommittedBatch, type WorkerBatch, type WorkerChainData, type WorkerLib } from '../sql/audit-append-worker.js';
import { STORED_AUDIT_ROW_COLUMNS } from '../sql/audit-events.js';
import type { Database } from '../sql/schema.js';
import type { NewAuditEvent } from '../store.js';
import { translateSqliteError } from './sqlite-errors.js';
import type { WalCheckpointer } from './wal-checkpointer.js';

/** The statements the worker prepares (also the inline path's, `batched-append.ts`). */
export const INSERT_EVENT = `insert into audit_events (seq, event_id, account_id, event_time, event_source, event_name, read_only,
  username, access_key_id, error_code, record, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
export const INSERT_RESOURCE = `insert into audit_event_resources (seq, position, account_id, event_time, resource_type, resource_name)
  values (?, ?, ?, ?, ?, ?)`;

interface SqliteWorkerData extends WorkerChainData {
  driver: string;
  filename: string;
  walFile: string;
  busyTimeoutMs: number;
  insertEvent: string;
  insertResource: string;
  storedColumns: string;
}

/**
 * The worker's body. INVARIANT: self-contained: it is evaluated from its source in the worker
 * (`workerSource`), so it may name nothing of this module but types.
 */
function sqliteAuditWorkerMain(require: NodeRequire, lib: WorkerLib): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const fs = require('node:fs') as typeof import('node:fs');
  const data = workerData as SqliteWorkerData;
  const Database = require(data.driver) as typeof BetterSqlite3;
  const port = parentPort!;
  const db = new Database(data.filename, { fileMustExist: true });
  let walFd: number | undefined;
  let statements: ReturnType<typeof prepare> | undefined;
  const hmac = lib.chainHmacHex(Buffer.from(data.chainKey), crypto);
  const hash = (prevHash: string, seq: number, event: NewAuditEvent): string => data.hashPrefix + hmac(lib.chainHashText(prevHash, seq, event));

  function prepare() {
    db.pragma(`busy_timeout = ${data.busyTimeoutMs}`);
    // The WAL is synced after each commit, before the append counts as written (see the module).
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('foreign_keys = ON');
    return {
      insertEvent: db.prepare(data.insertEvent),
      insertResource: db.prepare(data.insertResource),
      last: db.prepare('select seq, hash from audit_events order by seq desc limit 1'),
      checkpoint: db.prepare('select value from meta where key = ?'),
      stored: db.prepare(`select ${data.storedColumns} from audit_events where event_id in (select value from json_each(?))`),
      begin: db.prepare('begin immediate'),
      commit: db.prepare('commit'),
      rollback: db.prepare('rollback'),
    };
  }

  /** Appends `events`; with `skipStored`, leaves out those stored already as they are (a retried batch). */
  function append(events: NewAuditEvent[], skipStored: boolean): CommittedBatch {
    const s = (statements ??= prepare());
    // INVARIANT: BEGIN IMMEDIATE takes the write lock before the head is read.
    s.begin.run();
    try {
      const head = lib.auditHeadOf(
        s.last.get() as { seq: number; hash: string } | undefined,
        (s.checkpoint.get(data.checkpointKey) as { value: string } | undefined)?.value,
      ) ?? { seq: 0, hash: data.genesisHash };
      const links = skipStored
        ? lib.storedAuditLinks(lib.storableText, events, s.stored.all(JSON.stringify(events.map((e) => lib.storableText(e.eventId)))) as Parameters<WorkerLib['storedAuditLinks']>[2], hash)
        : undefined;
      const chained = lib.chainAuditRowsWith(hash, lib.storableText, head, links ? events.filter((_, i) => !links[i]) : events);
      for (const r of chained.rows) {
        s.insertEvent.run(r.seq, r.event_id, r.account_id, r.event_time, r.event_source, r.event_name, r.read_only,
          r.username, r.access_key_id, r.error_code, r.record, r.prev_hash, r.hash);
      }
      for (const r of chained.resources) s.insertResource.run(r.seq, r.position, r.account_id, r.event_time, r.resource_type, r.resource_name);
      s.commit.run();
      return { firstSeq: head.seq + 1, firstPrevHash: head.hash, hashes: chained.out.map((o) => o.hash), ...(links ? { links: lib.mergeAuditLinks(links, chained.out) } : {}) };
    } catch (err) {
      // The batch's own error is the one to report, not a failed rollback's.
      try {
        if (db.inTransaction) s.rollback.run();
      } catch {
        /* the connection is closed with the worker if it is broken */
      }
      throw err;
    }
  }

  /** The parts of batches still being posted (`gatherAuditBatch`). */
  const partial = new Map<number, NewAuditEvent[] | null>();

  port.on('message', (m: 'close' | WorkerBatch) => {
    if (m === 'close') {
      if (walFd !== undefined) fs.closeSync(walFd);
      db.close();
      port.close();
      return;
    }
    try {
      const events = lib.gatherAuditBatch(partial, m, lib.unpackAuditEvents);
      if (!events) return;
      let committed: CommittedBatch;
      try {
        committed = append(events, false);
      } catch (err) {
        // An id stored already: the batch may be one retried after its commit went unanswered.
        if (!lib.isDuplicateAuditEventId(err)) throw err;
        committed = append(events, true);
      }
      port.postMessage({ id: m.id, committed });
      walFd ??= fs.openSync(data.walFile, 'r');
      fs.fdatasyncSync(walFd);
      port.postMessage({ id: m.id, synced: true });
    } catch (err) {
      // gatherAuditBatch has refused the batch of a part that failed (its later parts are dropped).
      const e = err as { message?: unknown; code?: unknown };
      port.postMessage({ id: m.id, error: { message: String(e?.message ?? err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) } });
    }
  });
}

/** The worker's source. */
const sqliteAuditWorkerSource = (): string => workerSource(sqliteAuditWorkerMain);

/**
 * `appendAuditEvents` outside any transaction for the file database `filename`: `db` is the Kysely
 * instance on the server's one connection, held while the worker writes.
 */
export function sqliteAuditWorker(
  db: Kysely<Database>,
  options: { filename: string; walFile: string; chainKey: Uint8Array; busyTimeoutMs: number; checkpointer?: WalCheckpointer | undefined },
): AuditAppendWorker {
  return new AuditAppendWorker({
    source: sqliteAuditWorkerSource,
    workerData: (): SqliteWorkerData => ({
      ...workerChainData(options.chainKey),
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      filename: options.filename,
      walFile: options.walFile,
      busyTimeoutMs: options.busyTimeoutMs,
      insertEvent: INSERT_EVENT,
      insertResource: INSERT_RESOURCE,
      storedColumns: STORED_AUDIT_ROW_COLUMNS,
    }),
    lease: (fn) => db.connection().execute(fn),
    translateError: translateSqliteError,
    ...(options.checkpointer ? { appended: (n: number) => options.checkpointer!.appended(n) } : {}),
  });
}
