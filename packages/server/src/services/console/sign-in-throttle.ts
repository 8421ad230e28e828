/**
 * Slows down and then locks out repeated failed sign-ins, per key (an account and user name, or a
 * source address): the first few failures are free, the next ones must wait longer and longer
 * before another attempt, and `maxFailures` in a row lock the key for `lockoutMs`. A success
 * clears the key. The counts live in the store (`ConsoleGuardStore`), so every node of a
 * deployment counts the same failures and honours the same locks, and a restart forgets nothing.
 * A key is forgotten once it has been quiet for `lockoutMs` (and so once its lock has passed).
 *
 * @module
 */
import type { ConsoleGuardKind, ConsoleGuardStore } from '../../store/store.js';

export interface SignInThrottleOptions {
  /** Failures in a row that lock the key (default 5). */
  maxFailures?: number;
  /** How long a lock lasts, and how long a quiet key's failures are remembered (default 15 minutes). */
  lockoutMs?: number;
  /** Failures answered without a wait (default 2). */
  freeFailures?: number;
  /** The first wait after the free failures; each further failure doubles it (default 1 s). */
  baseDelayMs?: number;
  /**
   * Attempts of one key {@link SignInThrottle.exclusive} holds on this node, running and waiting
   * (default 10): past it an attempt is refused, so an attempt hanging on the store cannot pile up
   * the key's later attempts in memory without bound.
   */
  maxQueued?: number;
}

/** What the throttle reads and writes. */
type GuardStore = Pick<ConsoleGuardStore, 'countSignInFailure' | 'getSignInFailures' | 'clearConsoleGuard' | 'pruneConsoleGuards'>;

/** Expired counts are deleted at most this often per node, by the next failure. */
const PRUNE_EVERY_MS = 60_000;

export class SignInThrottle {
  readonly #maxFailures: number;
  readonly #lockoutMs: number;
  readonly #freeFailures: number;
  readonly #baseDelayMs: number;
  readonly #maxQueued: number;
  #prunedAt = 0;
  /** Per key, the end of the last attempt queued on this node, and how many are running or waiting. */
  readonly #queues = new Map<string, { done: Promise<void>; depth: number }>();
  /** Per key, the attempts {@link enter} admitted on this node that have not ended. */
  readonly #underWay = new Map<string, number>();

  constructor(
    private readonly store: () => GuardStore,
    private readonly kind: ConsoleGuardKind,
    options: SignInThrottleOptions = {},
  ) {
    this.#maxFailures = options.maxFailures ?? 5;
    this.#lockoutMs = options.lockoutMs ?? 15 * 60_000;
    this.#freeFailures = options.freeFailures ?? 2;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#maxQueued = options.maxQueued ?? 10;
  }

  /**
   * Runs `attempt` after the key's earlier attempts on this node have finished, so the failure an
   * attempt counts is seen by the next one's {@link blockedUntil}. (Nodes sharing a database still
   * run one attempt each at a time.) With `maxQueued` attempts of the key already running or waiting,
   * answers `refuse()` instead, counting no failure.
   */
  async exclusive<T>(key: string, attempt: () => Promise<T>, refuse: () => Promise<T>): Promise<T> {
    const queue = this.#queues.get(key);
    if (queue && queue.depth >= this.#maxQueued) return refuse();
    const run = (queue?.done ?? Promise.resolve()).then(attempt);
    const done = run.then(() => undefined, () => undefined);
    const next = { done, depth: (queue?.depth ?? 0) + 1 };
    this.#queues.set(key, next);
    try {
      return await run;
    } finally {
      // The key's entry now is this attempt's or a later one's: it leaves the count either way.
      const current = this.#queues.get(key);
      if (current?.done === done) this.#queues.delete(key);
      else if (current !== undefined) current.depth--; // (always there: an entry stays until its last attempt leaves)
    }
  }

  /**
   * Admits an attempt of `key` unless the key is waiting or locked, or its failures and the
   * attempts under way on this node (this one included) would pass `maxFailures`: attempts sent
   * together cannot each be the one before the lock. An admitted attempt must {@link leave}.
   */
  async enter(key: string, now: Date): Promise<boolean> {
    // Counted before the store is read, so attempts entering together each see the others.
    const underWay = (this.#underWay.get(key) ?? 0) + 1;
    this.#underWay.set(key, underWay);
    let state: Awaited<ReturnType<ConsoleGuardStore['getSignInFailures']>>;
    try {
      state = await this.store().getSignInFailures(this.kind, key, now);
    } catch (err) {
      // Not admitted: a failed read must not leave the attempt counted as under way for ever.
      this.leave(key);
      throw err;
    }
    if ((state && state.blockedUntil.getTime() > now.getTime()) || (state?.failures ?? 0) + underWay > this.#maxFailures) {
      this.leave(key);
      return false;
    }
    return true;
  }

  /** Ends an attempt {@link enter} admitted. */
  leave(key: string): void {
    const left = (this.#underWay.get(key) ?? 1) - 1;
    if (left > 0) this.#underWay.set(key, left);
    else this.#underWay.delete(key);
  }

  /** When the key may try again, or undefined when it may now. */
  async blockedUntil(key: string, now: Date): Promise<Date | undefined> {
    const state = await this.store().getSignInFailures(this.kind, key, now);
    return state && state.blockedUntil.getTime() > now.getTime() ? state.blockedUntil : undefined;
  }

  /** Counts a failure, in `store` (a transaction's) when given; returns true when it locked the key. */
  async fail(key: string, now: Date, store: GuardStore = this.store()): Promise<boolean> {
    const t = now.getTime();
    if (t - this.#prunedAt >= PRUNE_EVERY_MS) {
      this.#prunedAt = t;
      await store.pruneConsoleGuards(now);
    }
    const state = await store.countSignInFailure({
      kind: this.kind,
      key,
      now,
      expiresAt: new Date(t + this.#lockoutMs),
      blockFor: (failures) => {
        if (failures >= this.#maxFailures) return new Date(t + this.#lockoutMs);
        if (failures > this.#freeFailures) return new Date(t + this.#baseDelayMs * 2 ** (failures - this.#freeFailures - 1));
        return undefined;
      },
    });
    return state.failures >= this.#maxFailures;
  }

  /** Clears the key's failures, in `store` (a transaction's) when given. */
  async succeed(key: string, store: GuardStore = this.store()): Promise<void> {
    await store.clearConsoleGuard(this.kind, key);
  }
}
