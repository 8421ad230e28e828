/**
 * Runs every step even when one fails, then rejects with the first failure. A shutdown whose
 * batched audit records cannot be written (a full disk, an unreachable database) reports that, and
 * still closes the store, its worker threads and connections, so the process can end.
 */
export async function closeEach(steps: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  let first: { error: unknown } | undefined;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      first ??= { error };
    }
  }
  if (first) throw first.error;
}
