/**
 * WAL checkpoints off the event loop. With SQLite's default `wal_autocheckpoint`, the commit that
 * pushes the WAL past 1,000 pages copies them into the database file and fsyncs it, on the main
 * thread: under load that was the longest event-loop stall and a third of an audit batch's CPU.
 * Once started, a worker thread with its own connection runs `wal_checkpoint(PASSIVE)` (which
 * never blocks the writer) every `eventsPerCheckpoint` batched audit events and every `intervalMs`, and the server's
 * connection stops checkpointing. Durability is unchanged: commits still sync the WAL.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { startEvalWorker } from '../sql/eval-worker-exec-argv.js';

/**
 * The nice value the checkpoint thread takes (`yieldToRequestThread`): under it, a thread that
 * shares a core with the request thread gets about a third of its weight.
 */
export const BACKGROUND_THREAD_NICE = 5;

/**
 * Lowers the calling thread's CPU priority to `nice`, so the request thread wins a core from it.
 * Only for a thread that holds nothing a request waits for: the checkpoint's passive copy never
 * blocks a writer. The audit workers keep their priority, because while one writes a batch it
 * holds what requests wait on (SQLite: the server's leased connection; PostgreSQL: the chain's
 * advisory lock), and a lowered thread holding those would be a priority inversion that an
 * unprivileged thread cannot undo. Linux only: there the nice value belongs to the thread
 * (`setpriority` with pid 0), where elsewhere it would lower the whole process. Best effort: a
 * refusal (a sandbox) leaves the priority as it was.
 *
 * INVARIANT: self-contained (its source is evaluated in the worker).
 */
export function yieldToRequestThread(os: Pick<typeof import('node:os'), 'setPriority' | 'getPriority'>, platform: string, nice: number): void {
  if (platform !== 'linux') return;
  try {
    if (os.getPriority(0) < nice) os.setPriority(0, nice);
  } catch {
    /* not permitted: the thread keeps the process's priority */
  }
}

/**
 * The worker (CommonJS, evaluated): one connection, a passive checkpoint per message and per tick,
 * at a lowered priority (`yieldToRequestThread`).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(${yieldToRequestThread.toString()})(require('node:os'), process.platform, ${BACKGROUND_THREAD_NICE});
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('wal_autocheckpoint = 0');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ error: String(err && err.message || err) }); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'close') return checkpoint();
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

/** Checkpoints the WAL of `filename` from a worker thread, once started. */
export class WalCheckpointer {
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  private failed = false;
  private sinceCheckpoint = 0;

  /**
   * @param database the server's connection, whose own checkpoints stop while the worker runs.
   * @param onError receives the worker's failures; the server's connection then checkpoints again.
   */
  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly filename: string,
    private readonly onError: (err: Error) => void = () => undefined,
    private readonly intervalMs = 1000,
    private readonly eventsPerCheckpoint = 10_000,
  ) {}

  /**
   * Counts `events` appended (starting the worker on first use) and asks for a checkpoint every
   * `eventsPerCheckpoint`: checkpointing more often copies the same hot pages again and again
   * (every 2,000 events, the checkpoint thread spent about twice the CPU per event; the timer still
   * checkpoints every `intervalMs`, so the WAL holds at most a second's or 10,000 events' pages).
   */
  appended(events: number): void {
    if (this.failed) return;
    if (!this.worker) this.start();
    this.sinceCheckpoint += events;
    if (this.sinceCheckpoint < this.eventsPerCheckpoint) return;
    this.sinceCheckpoint = 0;
    this.worker!.postMessage('checkpoint');
  }

  private start(): void {
    const worker = startEvalWorker(WORKER_SOURCE, {
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), filename: this.filename, intervalMs: this.intervalMs },
    });
    worker.unref();
    this.worker = worker;
    this.exited = new Promise((resolve) => worker.once('exit', (code) => {
      // An exit not asked for by `close` (which forgets the worker first) hands checkpoints back.
      if (this.worker === worker) this.fail(new Error(`the WAL checkpoint worker exited with code ${code}`));
      resolve();
    }));
    worker.on('message', (m: { ready?: boolean; error?: string }) => {
      // INVARIANT: the server's connection stops checkpointing only once the worker's connection is open.
      if (m.ready && !this.failed && this.database.open) this.database.pragma('wal_autocheckpoint = 0');
      if (m.error) this.onError(new Error(`WAL checkpoint failed: ${m.error}`));
    });
    worker.on('error', (err) => {
      if (this.worker === worker) this.fail(err);
    });
  }

  private fail(err: Error): void {
    this.failed = true;
    this.worker = undefined;
    if (this.database.open) this.database.pragma('wal_autocheckpoint = 1000');
    this.onError(err);
  }

  /** Stops the worker (closing its connection); call before closing the server's connection. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failed = true;
    if (!worker) return;
    // Referenced again while it closes: with nothing else left on the event loop (a server shutting
    // down), an unreferenced worker would let the process exit before its 'exit' event, awaited here.
    worker.ref();
    worker.postMessage('close');
    await this.exited;
  }
}
