import type { AuditEventInput } from '../domain/ports/audit-event.js';

/** One request as the pipeline hands it to the audit trail. */
export type AuditEvent = AuditEventInput;

export type { AuditLog } from '../domain/ports/audit-log.js';
