/**
 * `castellan trail verify`'s core: the export folder's signed digest chain first (it yields the
 * chain anchors), then the stored hash chain checked against them.
 */
import type { AuditStore } from '../../store/store.js';
import type { DigestChainAnchor } from '../export/digest.js';
import type { TrailPublicKey } from '../export/signing-key.js';
import type { Finding } from './finding.js';
import { verifyExport } from './verify-export.js';
import { verifyStoredChain } from './verify-stored-chain.js';

/** The server's default `--trail-export-minutes`, in ms. */
const DEFAULT_EXPORT_INTERVAL_MS = 5 * 60_000;

/** What to verify. Either part may be left out. */
export interface TrailVerifyOptions {
  store?: Pick<AuditStore, 'scanAuditEvents' | 'getAuditCheckpoint' | 'getAuditHead' | 'auditChainHash'> & Partial<Pick<AuditStore, 'getAuditResources'>>;
  /**
   * The export folder. Give it even when it does not exist: events deleted by retention were
   * exported, so a store with a retention checkpoint and no export is a finding.
   */
  exportDir?: string;
  /** Required with `exportDir`. */
  publicKeys?: readonly TrailPublicKey[];
  from?: Date;
  to?: Date;
  /**
   * How often the server exports (`--trail-export-minutes`, in ms; 0 = never). With an export
   * folder, stored events older than this that no digest covers are reported in `warnings`.
   * Default is 5 minutes, the server's default.
   */
  exportIntervalMs?: number;
  /** When to judge that at. Default is now. */
  now?: Date;
  /** Progress of each phase: `phase` is `export` or `store`. */
  onProgress?: (phase: 'export' | 'store', done: number, total: number) => void;
}

/** The whole verification's outcome. */
export interface TrailVerifyResult {
  findings: Finding[];
  storedEvents: number;
  checkedEvents: number;
  digests: number;
  logFiles: number;
  /** Conditions that are not proof of tampering but need a look (an export that stopped, or was killed part way). */
  warnings: string[];
}

/**
 * Verifies the export and the stored chain.
 *
 * @example
 * ```ts
 * const r = await verifyTrail({ store, exportDir, publicKeys: [describePublicKey(key.publicKey, key.createdAt)] });
 * for (const f of r.findings) console.log(`${f.kind}: ${f.message}`);
 * process.exitCode = r.findings.length > 0 ? 1 : 0;
 * ```
 */
export async function verifyTrail(opts: TrailVerifyOptions): Promise<TrailVerifyResult> {
  const findings: Finding[] = [];
  let digests = 0;
  let logFiles = 0;
  let anchors: DigestChainAnchor[] = [];
  const warnings: string[] = [];
  const range = { ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) };
  if (opts.exportDir !== undefined) {
    const r = await verifyExport({
      exportDir: opts.exportDir,
      publicKeys: opts.publicKeys ?? [],
      ...range,
      ...(opts.onProgress ? { onProgress: (d: number, t: number) => opts.onProgress!('export', d, t) } : {}),
    });
    findings.push(...r.findings);
    digests = r.digests;
    logFiles = r.logFiles;
    anchors = r.anchors;
    warnings.push(...r.warnings);
  }
  let storedEvents = 0;
  let checkedEvents = 0;
  if (opts.store) {
    const r = await verifyStoredChain({
      source: opts.store,
      anchors,
      ...range,
      ...(opts.onProgress ? { onProgress: (d: number, t: number) => opts.onProgress!('store', d, t) } : {}),
    });
    findings.push(...r.findings);
    storedEvents = r.rows;
    checkedEvents = r.checked;
    if (opts.exportDir !== undefined && r.checkpoint) {
      const exportedTo = Math.max(0, ...anchors.map((a) => a.toSeq));
      if (digests === 0) {
        // Retention deletes only exported events: their export must exist.
        findings.push({ kind: 'digest-missing', where: 'export', key: opts.exportDir, message: `events up to seq ${r.checkpoint.seq} were exported and then deleted from the database by retention, but the export folder holds no digest: the export was removed` });
      } else if (r.checkpoint.seq > exportedTo) {
        findings.push({ kind: 'record-deleted', where: 'store', seq: exportedTo + 1, message: `events up to seq ${r.checkpoint.seq} were deleted from the database, but the export only reaches seq ${exportedTo}` });
      }
    }
  }
  const interval = opts.exportIntervalMs ?? DEFAULT_EXPORT_INTERVAL_MS;
  if (opts.store && opts.exportDir !== undefined && interval > 0) {
    const exportedTo = Math.max(0, ...anchors.map((a) => a.toSeq));
    const [oldest] = await opts.store.scanAuditEvents({ fromSeq: exportedTo + 1, limit: 1 });
    const now = opts.now ?? new Date();
    if (oldest && now.getTime() - oldest.eventTime.getTime() > interval) {
      const head = await opts.store.getAuditHead();
      const count = Math.max(1, (head?.seq ?? oldest.seq) - exportedTo);
      warnings.push(
        `${count} stored event(s) from ${oldest.eventTime.toISOString()} on are in no digest, though older than the export interval ` +
        `(${Math.round(interval / 60_000)} min): the export is not running, or its newest digest was removed (with the newest events, that would go unnoticed)`,
      );
    }
  }
  return { findings, storedEvents, checkedEvents, digests, logFiles, warnings };
}
