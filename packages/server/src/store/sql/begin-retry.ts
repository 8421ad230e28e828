/**
 * Waiting for another process's write lock without blocking the event loop. SQLite's own wait
 * (`busy_timeout`) sleeps inside the synchronous driver, on the request thread: while it waited,
 * nothing else was answered, reads and `/healthz` included. So the server's connection does not
 * wait there (`busy_timeout = 0`), and a transaction whose `BEGIN IMMEDIATE` finds the lock held
 * is begun again after a pause, on a timer, until it gets the lock or its bound has passed.
 *
 * Only a refused BEGIN is retried: nothing of the transaction has run then (its callback starts
 * after BEGIN), so running it again cannot do anything twice. `BEGIN IMMEDIATE` is what makes that
 * the only place a transaction can meet the lock: a deferred transaction would take the write lock
 * at its first write, after its reads, and could only fail there (SQLITE_BUSY_SNAPSHOT cannot be
 * waited out). Between attempts the connection is released, so reads (which in WAL mode never wait
 * for a writer) and other work go on meanwhile.
 *
 * @module
 */

/** How a write refused by another process's lock is recognised and reported. @internal */
export interface BeginRetry {
  /** How long, in milliseconds, a transaction may wait for the lock in all. */
  readonly boundMs: number;
  /**
   * True when `error` says another process's write lock refused the work before any of it was
   * done: a transaction's BEGIN (or, for idempotent writes, one statement outside a transaction).
   */
  refusedByLock(error: unknown): boolean;
  /** The error a transaction fails with once its bound has passed, from the last refusal. */
  pastBound(error: unknown): Error;
}

/** The longest pause between two attempts: how late, at most, a waiting transaction sees the lock released. */
export const MAX_BEGIN_PAUSE_MS = 100;

/** The pause before attempt `attempt + 1` (2, 4, 8 … ms, at most {@link MAX_BEGIN_PAUSE_MS}), never past `untilMs` from now. */
export function beginPause(attempt: number, untilMs: number): number {
  return Math.max(0, Math.min(2 ** Math.min(attempt + 1, 10), MAX_BEGIN_PAUSE_MS, untilMs));
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `begin` (a whole transaction, BEGIN first) until it is not refused at BEGIN, pausing between
 * attempts; past `retry.boundMs` it fails with `retry.pastBound`. Without `retry`, runs it once.
 */
export async function retryRefusedBegin<T>(retry: BeginRetry | undefined, begin: () => Promise<T>, now: () => number = Date.now): Promise<T> {
  if (!retry) return begin();
  const deadline = now() + retry.boundMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await begin();
    } catch (error) {
      if (!retry.refusedByLock(error)) throw error;
      const left = deadline - now();
      if (left <= 0) throw retry.pastBound(error);
      await pause(beginPause(attempt, left));
    }
  }
}
