/**
 * Slows down and then locks out repeated failed sign-ins, per key (an account and user name, or a
 * source address): the first few failures are free, the next ones must wait longer and longer
 * before another attempt, and `maxFailures` in a row lock the key for `lockoutMs`. A success
 * clears the key. In memory: a restart forgets, and each node counts its own attempts.
 *
 * @module
 */

export interface SignInThrottleOptions {
  /** Failures in a row that lock the key (default 5). */
  maxFailures?: number;
  /** How long a lock lasts (default 15 minutes). */
  lockoutMs?: number;
  /** Failures answered without a wait (default 2). */
  freeFailures?: number;
  /** The first wait after the free failures; each further failure doubles it (default 1 s). */
  baseDelayMs?: number;
  /** Keys remembered at most; the oldest are forgotten first (default 100 000). */
  maxKeys?: number;
}

interface KeyState {
  failures: number;
  /** No attempt is considered before this time (a wait or a lock). */
  blockedUntil: number;
  lastFailure: number;
}

export class SignInThrottle {
  readonly #keys = new Map<string, KeyState>();
  readonly #maxFailures: number;
  readonly #lockoutMs: number;
  readonly #freeFailures: number;
  readonly #baseDelayMs: number;
  readonly #maxKeys: number;

  constructor(options: SignInThrottleOptions = {}) {
    this.#maxFailures = options.maxFailures ?? 5;
    this.#lockoutMs = options.lockoutMs ?? 15 * 60_000;
    this.#freeFailures = options.freeFailures ?? 2;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  /** When the key may try again, or undefined when it may now. */
  blockedUntil(key: string, now: Date): Date | undefined {
    const state = this.#current(key, now.getTime());
    return state && state.blockedUntil > now.getTime() ? new Date(state.blockedUntil) : undefined;
  }

  /** Counts a failure; returns true when it locked the key. */
  fail(key: string, now: Date): boolean {
    const t = now.getTime();
    const state = this.#current(key, t) ?? { failures: 0, blockedUntil: 0, lastFailure: t };
    state.failures += 1;
    state.lastFailure = t;
    let locked = false;
    if (state.failures >= this.#maxFailures) {
      state.blockedUntil = t + this.#lockoutMs;
      locked = true;
    } else if (state.failures > this.#freeFailures) {
      state.blockedUntil = t + this.#baseDelayMs * 2 ** (state.failures - this.#freeFailures - 1);
    }
    this.#keys.delete(key);
    this.#keys.set(key, state);
    if (this.#keys.size > this.#maxKeys) this.#keys.delete(this.#keys.keys().next().value as string);
    return locked;
  }

  succeed(key: string): void {
    this.#keys.delete(key);
  }

  /** The key's state, forgotten once a lock has passed or it has been quiet for a lockout period. */
  #current(key: string, t: number): KeyState | undefined {
    const state = this.#keys.get(key);
    if (!state) return undefined;
    const lockedOut = state.failures >= this.#maxFailures;
    if ((lockedOut && state.blockedUntil <= t) || t - state.lastFailure >= this.#lockoutMs) {
      this.#keys.delete(key);
      return undefined;
    }
    return state;
  }
}
