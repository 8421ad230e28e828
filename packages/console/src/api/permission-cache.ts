/**
 * The console's answers to "may I do this?" (api/permissions.ts), kept for a short time only: another
 * administrator may grant or revoke a permission while a page is open, and a control left disabled on
 * an old denial is the harm to avoid (an old "allowed" only means the server refuses the click).
 *
 * - The questions asked in one turn of the event loop go to `ask` together: a page's gates are one batch.
 * - A question whose answer is on its way is not asked again (a refresh while it is in flight included).
 * - An answer is stale `maxAgeMs` after it came, and when the tab becomes visible again (the user may
 *   have changed something elsewhere meanwhile): listeners are then told, and the pages showing
 *   controls ask again, in one batch. A hidden tab asks nothing; it is refreshed when shown.
 * - Nobody asking means no call: the timer runs only after answers came, and fires once.
 *
 * The cache hands out promises; keeping the old answer on screen until the new one comes is the page's
 * (components/permission-gate.tsx keeps its last answers until the new ones resolve).
 */

/** An action and the resource it is asked about. */
export interface Check {
  action: string;
  resource: string;
}

/** The tab's visibility: `document` in the browser. */
export interface Visibility {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface PermissionCacheOptions<A> {
  /** One answer per check, in order. A rejection answers each check with `failed`. */
  ask(checks: Check[]): Promise<A[]>;
  /** The answer given for a check when `ask` rejected or answered nothing for it. */
  failed: A;
  /** How long an answer is used before it is asked again. */
  maxAgeMs: number;
  /** The tab's visibility, when there is one (there is none in unit tests of other modules). */
  visibility?: Visibility;
}

interface Entry<A> {
  answer: Promise<A>;
  /** When the answer came (Date.now()), undefined while it is on its way. */
  settledAt?: number;
}

export class PermissionCache<A> {
  #entries = new Map<string, Entry<A>>();
  #pending: Array<{ check: Check; entry: Entry<A>; settle: (a: A) => void }> = [];
  /** Answers that came at or before this time are stale (a refresh). */
  #staleBefore = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<() => void>();
  readonly #onVisibility = () => {
    if (this.options.visibility?.visibilityState === 'visible') this.refresh();
  };

  constructor(private readonly options: PermissionCacheOptions<A>) {
    options.visibility?.addEventListener('visibilitychange', this.#onVisibility);
  }

  /** The answer for `action` on `resource`: the kept one while fresh or on its way, else asked anew. */
  get(action: string, resource: string): Promise<A> {
    const key = `${action} ${resource}`;
    const known = this.#entries.get(key);
    if (known && (known.settledAt === undefined || this.#fresh(known.settledAt))) return known.answer;
    let settle!: (a: A) => void;
    const entry: Entry<A> = { answer: new Promise<A>((resolve) => (settle = resolve)) };
    if (this.#pending.length === 0) setTimeout(() => void this.#flush(), 0);
    this.#pending.push({ check: { action, resource }, entry, settle });
    this.#entries.set(key, entry);
    return entry.answer;
  }

  /** Calls `fn` when answers became stale (pages ask again). Returns the unsubscribe. */
  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => void this.#listeners.delete(fn);
  }

  /**
   * Makes every answer that came stale and tells the listeners, so that the pages ask again. Answers
   * on their way are kept: they were asked a moment ago.
   */
  refresh(): void {
    this.#staleBefore = Date.now();
    this.#notify();
  }

  /**
   * Forgets every answer, those on their way too (they may have been decided before the change that
   * calls this), and tells the listeners.
   */
  forget(): void {
    this.#entries = new Map();
    this.#stopTimer();
    this.#notify();
  }

  /** Stops listening to the tab's visibility and stops the timer. */
  dispose(): void {
    this.options.visibility?.removeEventListener('visibilitychange', this.#onVisibility);
    this.#stopTimer();
    this.#listeners.clear();
  }

  #fresh(settledAt: number): boolean {
    return settledAt > this.#staleBefore && Date.now() - settledAt < this.options.maxAgeMs;
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    let answers: A[] = [];
    try {
      answers = await this.options.ask(batch.map((p) => p.check));
    } catch {
      // Not known: the server decides each click, as it always does.
    }
    const now = Date.now();
    batch.forEach((p, n) => {
      p.entry.settledAt = now;
      p.settle(n < answers.length ? (answers[n] as A) : this.options.failed);
    });
    // A refresh that came while these were on their way leaves them fresh: they were asked after it.
    this.#timer ??= setTimeout(() => this.#expire(), this.options.maxAgeMs);
  }

  #expire(): void {
    this.#timer = undefined;
    // A hidden tab asks nothing: becoming visible refreshes it.
    if (this.options.visibility && this.options.visibility.visibilityState !== 'visible') return;
    this.refresh();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #notify(): void {
    for (const fn of [...this.#listeners]) fn();
  }
}
