/** A key/value table for server-level state (bootstrap markers, schema facts, checkpoints). */
export interface MetaStore {
  /** The value, or `undefined`. */
  getMeta(key: string): Promise<string | undefined>;
  /** Inserts or replaces. */
  setMeta(key: string, value: string): Promise<void>;
  /** Removes; `false` if absent. */
  deleteMeta(key: string): Promise<boolean>;
}
