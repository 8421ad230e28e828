/**
 * The audit trail's input type lives in `domain/ports/audit-event.ts`, shared by the pipeline that
 * fills it in and the audit trail that records it.
 */
export type { AuditEventInput, AuditService } from '../domain/ports/audit-event.js';
