/**
 * Buffers "last used" facts (access keys, allowed actions) and writes them in batches: the latest
 * use per key wins, a batch is written every `intervalMs` or once `maxEntries` keys wait, writes are
 * chained so two batches never race, and a failed write is reported, never thrown at the request.
 *
 * @module
 */

/** How a {@link LatestUseBuffer} writes and how often. */
export interface LatestUseBufferOptions<T> {
  write(batch: T[]): Promise<void>;
  onError(error: unknown): void;
  intervalMs: number;
  maxEntries: number;
}

/** A batch writer of the latest use per key. */
export class LatestUseBuffer<T extends { usedAt: Date }> {
  readonly #options: LatestUseBufferOptions<T>;
  #pending = new Map<string, T>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: LatestUseBufferOptions<T>) {
    this.#options = options;
  }

  /** Keeps `use` for `key` unless a later use is already waiting. */
  note(key: string, use: T): void {
    if (this.#closed) return;
    const previous = this.#pending.get(key);
    // getTime(): comparing the Dates themselves (`<=`) converts each through Symbol.toPrimitive, a
    // runtime call that cost some 0.4 µs per note, and a note is made for every request.
    if (!previous || previous.usedAt.getTime() <= use.usedAt.getTime()) this.#pending.set(key, use);
    if (this.#pending.size >= this.#options.maxEntries) {
      void this.flush();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.#options.intervalMs);
      this.#timer.unref();
    }
  }

  /** Writes the buffered uses now (one write); resolves when they and any earlier write are done. */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    this.#writing = this.#writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.#options.write(batch);
      } catch (err) {
        this.#options.onError(err);
      }
    });
    return this.#writing;
  }

  /** Stops buffering and writes what is left. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return this.#writing;
    this.#closed = true;
    await this.flush();
  }
}
