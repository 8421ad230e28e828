/**
 * What `/healthz` answers. Load balancers and orchestrators read only its status: 200 keeps the
 * node in rotation, 503 takes it out (a readiness check: restarting the process would not fix what
 * fails here, a full disk or an unreachable database). The body says why, for the operator, in
 * fixed words and driver codes only: no message, host, path or secret.
 *
 * @module
 */

/** The node's health, from most to least serving. */
export type HealthReport =
  | { status: 'ok' }
  /** Reads answer, but audit records have not been written for a while (mutations fail too). */
  | { status: 'degraded'; reason: 'audit-writes-failing'; failingForSeconds: number; storeErrorCode?: string }
  /** The store does not answer a read. */
  | { status: 'unavailable'; reason: 'store-unreachable' };

/** What {@link nodeHealth} looks at. */
export interface NodeHealthOptions {
  /** Reads from the store; rejects when it is unreachable. */
  ping(): Promise<unknown>;
  /** Since when batched audit appends have been failing as unavailable (undefined while they succeed). */
  auditWriteFailure(): { sinceMs: number; code?: string } | undefined;
  /** How long audit appends must have been failing before the node reports itself degraded. */
  degradedAfterMs: number;
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * The health of a node: unavailable when the store does not answer a read; degraded when audit
 * appends have failed for `degradedAfterMs` without one succeeding (a single failure, as in a
 * failover, is retried and does not take the node out); ok otherwise. Failing writes are seen
 * through the audit appends, which every read, refusal and failure makes: an idle node reports a
 * full disk only once a call is made.
 */
export async function nodeHealth(opts: NodeHealthOptions): Promise<HealthReport> {
  try {
    await opts.ping();
  } catch {
    return { status: 'unavailable', reason: 'store-unreachable' };
  }
  const failure = opts.auditWriteFailure();
  const failingMs = failure ? opts.now() - failure.sinceMs : 0;
  if (!failure || failingMs < opts.degradedAfterMs) return { status: 'ok' };
  const report: HealthReport = { status: 'degraded', reason: 'audit-writes-failing', failingForSeconds: Math.floor(failingMs / 1000) };
  if (failure.code) report.storeErrorCode = failure.code;
  return report;
}

/** The HTTP status of a report: 200 only when ok. */
export const healthStatusCode = (report: HealthReport): 200 | 503 => (report.status === 'ok' ? 200 : 503);
