/**
 * Retention: events older than the retention period are exported, then deleted from the database
 * through `deleteAuditEventsThrough`, which records the last deleted event as the checkpoint the
 * remaining chain verifies from. Only exported events are ever deleted.
 */
import type { AuditStore } from '../../store/store.js';
import { exportTrail, type TrailExportOptions, type TrailExportResult } from './trail-exporter.js';

/** What a retention run needs. */
export interface RetentionOptions {
  store: Pick<AuditStore, 'scanAuditEvents' | 'deleteAuditEventsThrough' | 'getAuditCheckpoint'>;
  /** Where and how events are exported before deletion. */
  export: Omit<TrailExportOptions, 'source' | 'throughSeq'>;
  /** Events older than this many days are removed from the database. */
  retentionDays: number;
  /** How many sequence numbers one deletion covers at most (default {@link DELETE_STEP}). */
  deleteStep?: number;
}

/** What a retention run did. */
export interface RetentionResult {
  exported: TrailExportResult;
  /** Events deleted from the database. */
  deleted: number;
  /** The new checkpoint seq, when something was deleted. */
  throughSeq?: number;
}

/**
 * Exports what is new, then deletes the oldest events up to the first one that is still inside the
 * retention period (events are deleted as a prefix of the chain, never from its middle).
 */
export async function applyRetention(opts: RetentionOptions): Promise<RetentionResult> {
  if (!(opts.retentionDays > 0)) throw new Error(`retention must be a positive number of days, not \`${opts.retentionDays}\``);
  const exported = await exportTrail({ ...opts.export, source: opts.store });
  const cutoff = opts.export.clock.now().getTime() - opts.retentionDays * 86_400_000;
  const checkpoint = await opts.store.getAuditCheckpoint();
  let through: number | undefined;
  scan: for (let from = (checkpoint?.seq ?? 0) + 1; ; ) {
    const rows = await opts.store.scanAuditEvents({ fromSeq: from, limit: 1000 });
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.eventTime.getTime() >= cutoff || row.seq > exported.toSeq) break scan;
      through = row.seq;
    }
    from = rows[rows.length - 1]!.seq + 1;
  }
  if (through === undefined) return { exported, deleted: 0 };
  // In steps: each deletion holds the audit chain's lock (mutations wait for it) and runs under
  // the database's statement time limit, so one of a year's events at once could outlast both.
  let deleted = 0;
  const size = opts.deleteStep ?? DELETE_STEP;
  for (let step = (checkpoint?.seq ?? 0) + size; ; step += size) {
    deleted += await opts.store.deleteAuditEventsThrough(Math.min(step, through));
    if (step >= through) break;
  }
  return { exported, deleted, throughSeq: through };
}

/** How many sequence numbers one deletion covers at most. */
export const DELETE_STEP = 10_000;
