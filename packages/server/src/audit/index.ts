/**
 * The audit trail's public surface (`@castellan/server/audit`): what the composition root and the
 * `castellan trail` commands use.
 *
 * @module
 */
export { StoreAuditLog, toNewAuditEvent, lookupUsername } from './store-audit-log.js';
export type { AuditBacklogDrop, QuarantinedEvent, StoreAuditLogOptions } from './store-audit-log.js';
export type { AuditEventInput, AuditService } from './audit-event.js';
export { buildCloudTrailRecord, serializeRecord } from './cloudtrail-record.js';
export type { CloudTrailRecord, CloudTrailUserIdentity } from './cloudtrail-record.js';
export { exportTrail, readExportState } from './export/trail-exporter.js';
export type { ExportRecovery, ExportStep, TrailExportOptions, TrailExportResult } from './export/trail-exporter.js';
export { applyRetention } from './export/retention.js';
export type { RetentionOptions, RetentionResult } from './export/retention.js';
export { startExportSchedule } from './export/export-schedule.js';
export type { ExportSchedule, ExportScheduleOptions } from './export/export-schedule.js';
export { loadOrCreateSigningKey, readPublicKeyFile, describePublicKey, publicKeyFingerprint, SIGNING_KEY_FILE, PUBLIC_KEY_FILE } from './export/signing-key.js';
export type { TrailSigningKey, TrailPublicKey } from './export/signing-key.js';
export { verifyTrail } from './verify/verify-trail.js';
export type { TrailVerifyOptions, TrailVerifyResult } from './verify/verify-trail.js';
export type { Finding, FindingKind } from './verify/finding.js';
export { openAuditStore, SQLITE_DATABASE_FILE, DEFAULT_EXPORT_DIR } from './open-audit-store.js';
export type { AuditStoreLocation } from './open-audit-store.js';
