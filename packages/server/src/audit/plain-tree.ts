/**
 * Whether a value is a tree that `JSON.stringify` writes the same as a member-by-member copy of it:
 * only plain objects (their own enumerable keys read in the same order), arrays and leaves — and
 * every member name and string passes the caller's test. The audit record's builders use it to skip
 * a copy that would change nothing (redaction, bounding a refused call's parameters).
 */
export interface PlainTreeTest {
  /** A member name may stay as it is. */
  key(name: string): boolean;
  /** A string may stay as it is. */
  string(value: string): boolean;
  /** Byte arrays count as leaves (the copy keeps them as they are) rather than as class instances. */
  bytesAreLeaves: boolean;
}

export function plainTreeEvery(value: unknown, test: PlainTreeTest): boolean {
  if (typeof value === 'string') return test.string(value);
  if (value === null || typeof value !== 'object' || value instanceof Date) return true;
  if (test.bytesAreLeaves && value instanceof Uint8Array) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (!plainTreeEvery(v, test)) return false;
    return true;
  }
  // A class instance (a `Buffer`'s inherited `toJSON`, say) is not plain: a copy would drop what its prototype gives it.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k of Object.keys(value)) {
    if (!test.key(k) || !plainTreeEvery((value as Record<string, unknown>)[k], test)) return false;
  }
  return true;
}
