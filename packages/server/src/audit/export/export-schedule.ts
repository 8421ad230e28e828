/**
 * The server's periodic export: every interval, export new events (and apply retention when a
 * period is configured). Runs never overlap; `stop()` waits for the running one and, by default,
 * runs a last export so that an orderly shutdown leaves nothing unexported.
 *
 * With a `lease`, several nodes on one database run the schedule and one at a time exports: each
 * run first takes or renews the lease in the store and does nothing when another node holds it;
 * `stop()` runs the last export only while holding it, then releases it so another node takes
 * over at its next run instead of after the expiry.
 */
import type { Clock } from '../../domain/context.js';
import type { AuditStore, LeaseStore } from '../../store/store.js';
import { applyRetention } from './retention.js';
import { exportTrail, type TrailExportOptions } from './trail-exporter.js';
import type { TrailSigningKey } from './signing-key.js';

/** Settings of the periodic export. */
export interface ExportScheduleOptions {
  store: Pick<AuditStore, 'scanAuditEvents' | 'deleteAuditEventsThrough' | 'getAuditCheckpoint'>;
  exportDir: string;
  signingKey: TrailSigningKey;
  clock: Clock;
  /** Milliseconds between runs. Default is 5 minutes (CloudTrail delivers about every 5 minutes). */
  intervalMs?: number;
  /** When set, events older than this many days are exported and then deleted from the database. */
  retentionDays?: number;
  /** Passed to the exporter (bucket, trail name, home region, file size, which events each account's trail delivers). */
  exportOptions?: Pick<TrailExportOptions, 'bucket' | 'trailName' | 'homeRegion' | 'maxRecordsPerFile' | 'deliveryFilter' | 'onStep'>;
  /**
   * Run only while holding this lease (several nodes on one database). `ttlMs` defaults to three
   * intervals: a node that died is replaced after that long.
   */
  lease?: { store: LeaseStore; holder: string; name?: string; ttlMs?: number };
  /** Receives a failed run's error; the schedule goes on. */
  onError: (err: unknown) => void;
  /** Receives each run's outcome (for logs and metrics). */
  onRun?: (outcome: { events: number; deleted: number; toSeq: number }) => void;
}

/** A running schedule. */
export interface ExportSchedule {
  /** Runs an export now (after the running one, if any). */
  runNow(): Promise<void>;
  /** Stops the schedule. Default `finalExport` is `true`. */
  stop(opts?: { finalExport?: boolean }): Promise<void>;
}

/**
 * Starts the periodic export.
 *
 * @example
 * ```ts
 * const schedule = startExportSchedule({ store, exportDir: join(dataDir, 'trail'), signingKey,
 *   clock, retentionDays: config.auditRetentionDays, onError: (err) => log.error({ err }, 'trail export failed') });
 * // on shutdown, after the AuditLog is closed:
 * await schedule.stop();
 * ```
 */
export function startExportSchedule(opts: ExportScheduleOptions): ExportSchedule {
  const intervalMs = opts.intervalMs ?? 5 * 60_000;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const lease = opts.lease && { name: 'trail-export', ttlMs: 3 * intervalMs, ...opts.lease };
  const holdsLease = async (): Promise<boolean> =>
    !lease || lease.store.acquireLease({ name: lease.name, holder: lease.holder, now: opts.clock.now(), ttlMs: lease.ttlMs });

  const once = async (): Promise<void> => {
    try {
      if (!(await holdsLease())) return;
      const common = { exportDir: opts.exportDir, signingKey: opts.signingKey, clock: opts.clock, ...opts.exportOptions };
      if (opts.retentionDays !== undefined) {
        const r = await applyRetention({ store: opts.store, export: common, retentionDays: opts.retentionDays });
        opts.onRun?.({ events: r.exported.events, deleted: r.deleted, toSeq: r.exported.toSeq });
      } else {
        const r = await exportTrail({ ...common, source: opts.store });
        opts.onRun?.({ events: r.events, deleted: 0, toSeq: r.toSeq });
      }
    } catch (err) {
      opts.onError(err);
    }
  };
  const enqueue = (): Promise<void> => (chain = chain.then(once));
  const timer = setInterval(() => {
    if (!stopped) void enqueue();
  }, intervalMs);
  timer.unref();

  return {
    runNow: () => enqueue(),
    async stop(stopOpts) {
      if (stopped) return chain;
      stopped = true;
      clearInterval(timer);
      if (stopOpts?.finalExport ?? true) await enqueue();
      else await chain;
      if (lease) await lease.store.releaseLease(lease.name, lease.holder).catch(opts.onError);
    },
  };
}
