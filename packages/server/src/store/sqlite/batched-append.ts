/**
 * Batched audit appends on SQLite without stalling the event loop on fsync. better-sqlite3 runs
 * on the main thread, so a commit with `synchronous = FULL` blocks every request for the disk's
 * flush (3 to 15 ms on the benchmark's disk), five times a second under load. A batch outside any
 * caller's transaction (the read-only and refused calls' records, already held in memory for up
 * to 200 ms) commits with `synchronous = NORMAL` instead, and the WAL is then flushed with an
 * asynchronous `fdatasync` on libuv's thread pool; the append resolves once that flush is done, so
 * a resolved append is as durable as before. Mutations and their records keep `FULL`, and their
 * fsync also covers every earlier WAL frame.
 *
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { AuditStore } from '../store.js';
import type { Database } from '../sql/schema.js';

/**
 * Wraps `append` (the store's own `appendAuditEvents`, bound to a context on `conn`) so it runs on
 * the single connection with `synchronous = NORMAL`, then flushes `walFile`.
 */
export function batchedAppend(
  db: Kysely<Database>,
  walFile: string,
  appendOn: (conn: Kysely<Database>) => AuditStore['appendAuditEvents'],
): AuditStore['appendAuditEvents'] {
  let wal: Promise<FileHandle> | undefined;
  const flushWal = async (): Promise<void> => {
    wal ??= open(walFile, 'r');
    try {
      await (await wal).datasync();
    } catch (err) {
      wal = undefined;
      throw err;
    }
  };
  return async (events) => {
    if (events.length === 0) return [];
    // Holding the connection keeps every other statement (and so every FULL commit) out until
    // the pragma is back to FULL.
    const out = await db.connection().execute(async (conn) => {
      await sql`pragma synchronous = normal`.execute(conn);
      try {
        return await appendOn(conn)(events);
      } finally {
        await sql`pragma synchronous = full`.execute(conn);
      }
    });
    await flushWal();
    return out;
  };
}
