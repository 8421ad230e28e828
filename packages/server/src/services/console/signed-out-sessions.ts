/**
 * Console sessions ended by sign-out before their expiry. The session cookie is sealed and
 * self-contained, so ending one means remembering its id until it would have expired anyway.
 * In memory: each node remembers its own sign-outs, and a restart forgets them (see the README).
 *
 * @module
 */
export class SignedOutSessions {
  readonly #until = new Map<string, number>();

  add(sessionId: string, expiresAt: Date, now: Date): void {
    for (const [id, until] of this.#until) if (until <= now.getTime()) this.#until.delete(id);
    this.#until.set(sessionId, expiresAt.getTime());
  }

  has(sessionId: string, now: Date): boolean {
    const until = this.#until.get(sessionId);
    return until !== undefined && until > now.getTime();
  }
}
