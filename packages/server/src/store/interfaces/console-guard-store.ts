/** What a console guard protects: failed sign-ins per name or address, sign-outs, answered challenges. */
export type ConsoleGuardKind = 'sign-in-name' | 'sign-in-address' | 'signed-out' | 'challenge';

/** Failed sign-ins in a row for one key, as the store counted them. */
export interface SignInFailureState {
  failures: number;
  /** No attempt counts before this time (a wait or a lock); the epoch when there is none. */
  blockedUntil: Date;
}

/**
 * Short-lived facts of console sign-in that every node of a deployment must see alike: failure
 * counts and locks (`SignInThrottle`), sessions ended by sign-out (the session cookie is sealed and
 * self-contained, so ending one means remembering its id until it would expire), and WebAuthn
 * challenges already answered. Every fact expires; an expired one reads as absent and is deleted by
 * later writes (`pruneConsoleGuards`), so the table holds only what is live.
 */
export interface ConsoleGuardStore {
  /**
   * Counts one failure for `key` in one conditional write: the count restarts at 1 when the
   * previous one had expired. Sets `expiresAt` and, when given by `blockFor`, the block computed
   * from the new count. Concurrent failures on any node each count (no read-then-write).
   */
  countSignInFailure(input: { kind: ConsoleGuardKind; key: string; now: Date; expiresAt: Date; blockFor: (failures: number) => Date | undefined }): Promise<SignInFailureState>;
  /** The live failure state of `key`, or `undefined`. */
  getSignInFailures(kind: ConsoleGuardKind, key: string, now: Date): Promise<SignInFailureState | undefined>;
  /** Forgets `key` (a success clears its failures). */
  clearConsoleGuard(kind: ConsoleGuardKind, key: string): Promise<void>;
  /**
   * Records `key` once until `expiresAt`: `true` the first time, `false` while a live record exists
   * (a sign-out already made, a challenge already answered). One conditional insert, so of two
   * concurrent callers exactly one gets `true`.
   */
  markConsoleGuardOnce(kind: ConsoleGuardKind, key: string, now: Date, expiresAt: Date): Promise<boolean>;
  /** Whether a live record of `key` exists. */
  hasConsoleGuard(kind: ConsoleGuardKind, key: string, now: Date): Promise<boolean>;
  /** Deletes the expired records; returns how many. */
  pruneConsoleGuards(now: Date): Promise<number>;
}
