import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { retryRefusedBegin, type BeginRetry } from '../sql/begin-retry.js';
import type { Database } from '../sql/schema.js';
import { relaxSync, restoreFullSync } from './full-sync.js';
import { WalFlush } from './wal-flush.js';

/**
 * Writes that commit without an fsync on the event loop, for a file database's last-used data
 * (access keys', allowed actions'), written in the background every two seconds: with
 * `synchronous = FULL` each such commit blocked every request for its `fdatasync` of the WAL.
 *
 * - `run` holds Kysely's one connection (no other statement, transaction or FULL commit runs on it
 *   meanwhile), sets `synchronous = NORMAL`, runs the write on the held connection, and sets FULL
 *   again before letting the connection go.
 * - Then the WAL is flushed with an asynchronous `fdatasync` on libuv's thread pool (`WalFlush`),
 *   and only then does `run` resolve: a write that resolved is as durable as with FULL, as the
 *   batched audit appends do (`batched-append.ts`). A crash before the flush loses the write as a
 *   crash before its commit would; a later FULL commit's sync covers its frames too.
 * - A write that another process's lock refuses is run again on a timer (`retry`), the connection
 *   released meanwhile, up to the retry's bound. INVARIANT: `write` is one statement or one
 *   transaction, and running it again is harmless (last-used times only move later).
 */
export class RelaxedCommits {
  readonly #wal: WalFlush;
  /** The writes not settled yet (their WAL flush included): `settled()` waits for them. */
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly database: BetterSqlite3.Database,
    walFile: string,
    private readonly retry?: BeginRetry,
  ) {
    this.#wal = new WalFlush(walFile);
  }

  /** Runs `write` on the held connection with a relaxed commit; resolves once its WAL is synced. */
  run<T>(write: (connection: Kysely<Database>) => Promise<T>): Promise<T> {
    const done = this.#runNow(write);
    this.#inFlight.add(done);
    void done.catch(() => undefined).finally(() => this.#inFlight.delete(done));
    return done;
  }

  async #runNow<T>(write: (connection: Kysely<Database>) => Promise<T>): Promise<T> {
    const out = await retryRefusedBegin(this.retry, () => this.db.connection().execute(async (connection) => {
      relaxSync(this.database);
      try {
        return await write(connection);
      } finally {
        restoreFullSync(this.database);
      }
    }));
    await this.#wal.flush();
    return out;
  }

  /** Resolves when every write started so far has settled. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Closes the WAL's file handle; call after `settled()`. */
  close(): Promise<void> {
    return this.#wal.close();
  }
}
