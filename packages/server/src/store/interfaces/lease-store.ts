/**
 * Leases: which node runs a job that must run on one node at a time (the trail export and its
 * retention), held until an expiry time and renewed by the holder. A node that dies stops renewing,
 * so another takes the lease once it expires.
 */
export interface LeaseStore {
  /**
   * Takes lease `name` for `holder` until `now + ttlMs` when it is free, expired at `now`, or
   * already held by `holder` (a renewal). Answers whether `holder` holds it now. One atomic
   * statement: of two nodes asking at once for a free lease, exactly one gets it.
   */
  acquireLease(req: { name: string; holder: string; now: Date; ttlMs: number }): Promise<boolean>;
  /** Gives the lease up if `holder` holds it, so another node need not wait for its expiry. */
  releaseLease(name: string, holder: string): Promise<void>;
}
