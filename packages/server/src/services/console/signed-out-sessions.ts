/**
 * Console sessions ended by sign-out before their expiry. The session cookie is sealed and
 * self-contained, so ending one means remembering its id until it would have expired anyway. The
 * ids live in the store (`ConsoleGuardStore`, kind `signed-out`), so a sign-out on one node ends
 * the session on every node and survives a restart.
 *
 * @module
 */
import type { ConsoleGuardStore } from '../../store/store.js';

export class SignedOutSessions {
  constructor(private readonly store: () => Pick<ConsoleGuardStore, 'markConsoleGuardOnce' | 'hasConsoleGuard'>) {}

  async add(sessionId: string, expiresAt: Date, now: Date): Promise<void> {
    await this.store().markConsoleGuardOnce('signed-out', sessionId, now, expiresAt);
  }

  has(sessionId: string, now: Date): Promise<boolean> {
    return this.store().hasConsoleGuard('signed-out', sessionId, now);
  }
}
