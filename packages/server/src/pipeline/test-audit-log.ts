import type { AuditEvent, AuditLog } from './audit-log.js';

/** An `AuditLog` that keeps events in memory, for tests only (excluded from the build by name). */
export class InMemoryAuditLog implements AuditLog<unknown> {
  readonly events: Array<AuditEvent & { inTransaction: boolean }> = [];

  async recordInTransaction(event: AuditEvent): Promise<void> {
    this.events.push({ ...event, inTransaction: true });
  }

  async record(event: AuditEvent): Promise<void> {
    this.events.push({ ...event, inTransaction: false });
  }
}
