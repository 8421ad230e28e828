/**
 * Bounded synchronous work: a long loop (the simulator's evaluations, a page of account details
 * read through a synchronous SQLite driver) calls the returned function after each step; once the
 * current slice has run `sliceMs`, it yields to the event loop so other requests (and `/healthz`)
 * are served in between. Scheduling only: the time it reads never reaches a response.
 *
 * @example
 * ```ts
 * const pause = workSlices();
 * for (const item of page) {
 *   out.push(await describe(item));
 *   await pause();
 * }
 * ```
 * @module
 */

/** The longest run of work between two yields, by default. */
export const DEFAULT_SLICE_MS = 5;

/** A function to call between steps: it resolves at once, or after yielding when the slice is used up. */
export function workSlices(sliceMs = DEFAULT_SLICE_MS): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
}
