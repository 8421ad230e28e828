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

/** What to verify. Either part may be left out. */
export interface TrailVerifyOptions {
  store?: Pick<AuditStore, 'scanAuditEvents' | 'getAuditCheckpoint' | 'getAuditHead'> & Partial<Pick<AuditStore, 'getAuditResources'>>;
  /**
   * The export folder. Give it even when it does not exist: events deleted by retention were
   * exported, so a store with a retention checkpoint and no export is a finding.
   */
  exportDir?: string;
  /** Required with `exportDir`. */
  publicKeys?: readonly TrailPublicKey[];
  from?: Date;
  to?: Date;
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
  return { findings, storedEvents, checkedEvents, digests, logFiles };
}
