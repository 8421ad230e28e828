import type { AuditEventInput } from './audit-event.js';

/**
 * Where the pipeline sends one event per request, whatever its outcome: successful calls, refused
 * calls (AccessDenied), failed authentication and bad input alike.
 *
 * Events carry the decoded wire input and output as they are (`request`/`response`, AWS member
 * names); implementations must redact secrets (passwords, secret keys, session tokens) before
 * storing anything, as CloudTrail does.
 *
 * `D` is the transaction-bound operation dependency of the pipeline's `TransactionRunner<D>`.
 */
export interface AuditLog<D = unknown> {
  /** A successful mutation's event, written inside the mutation's transaction (same commit or none). */
  recordInTransaction(event: AuditEventInput, deps: D): Promise<void>;
  /** Any other event: reads, refused and failed calls. May be batched; the pipeline awaits it. */
  record(event: AuditEventInput): Promise<void>;
}
