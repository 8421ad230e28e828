/**
 * Walks the stored audit events in seq order and checks the hash chain: each row's hash over its
 * own content, each row's link to the row before it (or to the retention checkpoint), that seqs
 * run without gaps up to the chain head, that the indexed columns agree with the record, and that
 * the chain passes through the hashes the signed digests anchored at export time.
 *
 * A row's hash covers its record, its columns and its resource rows (`store/chain-hash.ts`), so an
 * edited user name or resource row breaks it like an edited record. Rows of the first hash format
 * (record only) are accepted only before the first row of the current format: a row rewritten in
 * the old format after it is reported as modified.
 *
 * A broken row is classified by recomputing its hash at nearby seqs: a row whose hash holds at
 * `seq - 1` was pushed up by an insertion, at `seq + 1` pulled down by a deletion, elsewhere it was
 * moved (reordered); a row whose hash holds nowhere was modified.
 */
import { chainHashHolds, GENESIS_HASH, isLegacyChainHash, type ChainHashFunction } from '../../store/chain-hash.js';
import type { AuditEventRow, AuditResource, AuditStore } from '../../store/store.js';
import type { DigestChainAnchor } from '../export/digest.js';
import type { Finding } from './finding.js';

/** How far from its seq a moved row is looked for. */
const MOVE_WINDOW = 64;
const BATCH = 2000;

/** What the stored-chain walk needs. */
export interface StoredChainOptions {
  /**
   * The rows, and the store's `auditChainHash`: the chain is keyed, so only a store opened with the
   * master key that wrote it can recompute its hashes.
   */
  source: Pick<AuditStore, 'scanAuditEvents' | 'getAuditCheckpoint' | 'getAuditHead' | 'auditChainHash'> & Partial<Pick<AuditStore, 'getAuditResources'>>;
  /** Chain positions that signed digests recorded (from `verifyExport`). */
  anchors?: readonly DigestChainAnchor[];
  /** Check only events at or after this time (rows before are still read to follow the chain). */
  from?: Date;
  /** Check only events at or before this time. */
  to?: Date;
  /** Called after each batch with the rows read so far and the expected total. */
  onProgress?: (done: number, total: number) => void;
}

/** The outcome of a stored-chain walk. */
export interface StoredChainResult {
  findings: Finding[];
  /** Rows read. */
  rows: number;
  /** Rows whose checks ran (inside `from`/`to`). */
  checked: number;
  checkpoint?: { seq: number; hash: string };
  head?: { seq: number; hash: string };
}

interface Moved {
  seq: number;
  originalSeq: number;
}

/** Verifies the stored hash chain. Never throws for tampering; only for a store that cannot be read. */
export async function verifyStoredChain(opts: StoredChainOptions): Promise<StoredChainResult> {
  const findings: Finding[] = [];
  const report = (kind: Finding['kind'], seq: number | undefined, message: string): void => {
    findings.push({ kind, where: 'store', ...(seq !== undefined ? { seq } : {}), message });
  };
  const hashOf: ChainHashFunction = (prevHash, seq, event, format) => opts.source.auditChainHash(prevHash, seq, event, format);
  const checkpoint = await opts.source.getAuditCheckpoint();
  const head = await opts.source.getAuditHead();
  const anchors = new Map<number, string>();
  for (const a of opts.anchors ?? []) if (a.toSeq > 0) anchors.set(a.toSeq, a.toHash);
  if (checkpoint && anchors.has(checkpoint.seq) && anchors.get(checkpoint.seq) !== checkpoint.hash) {
    report('checkpoint-mismatch', checkpoint.seq, `the retention checkpoint at seq ${checkpoint.seq} does not match the hash exported for that seq`);
  }
  const inRange = (t: Date): boolean => (!opts.from || t >= opts.from) && (!opts.to || t <= opts.to);
  const base = checkpoint?.seq ?? 0;
  const total = Math.max(0, (head?.seq ?? base) - base);

  const moved: Moved[] = [];
  const modified = new Set<number>();
  let prev: { seq: number; hash: string; prevHash: string; ok: boolean; inRange: boolean } = {
    seq: base,
    hash: checkpoint?.hash ?? GENESIS_HASH,
    prevHash: '',
    ok: true,
    inRange: true,
  };
  let lastShift = 0;
  // A keyed checkpoint counts as a keyed row: the rows after it were written after it, so none may
  // carry the first (unkeyed) format, which anyone could compute without the chain key.
  let keyedFormatSeen = checkpoint !== undefined && !isLegacyChainHash(checkpoint.hash);
  let rows = 0;
  let checked = 0;
  const beyondHead: number[] = [];

  for (let from = 1; ; ) {
    const batch = await opts.source.scanAuditEvents({ fromSeq: from, limit: BATCH });
    const resourcesAt = resourceLookup(opts.source, batch);
    if (batch.length === 0) break;
    for (const row of batch) {
      rows++;
      if (row.seq <= base) {
        report('record-inserted', row.seq, `seq ${row.seq} is at or before the retention checkpoint (seq ${base}), where no event may remain`);
        continue;
      }
      const checkRow = inRange(row.eventTime);
      if (checkRow) checked++;
      if (head && row.seq > head.seq) {
        // Appended after the head was read (a running server) or inserted: told apart at the end.
        beyondHead.push(row.seq);
        continue;
      }
      const legacy = isLegacyChainHash(row.hash);
      const downgraded = legacy && keyedFormatSeen;
      if (!legacy) keyedFormatSeen = true;
      const selfOk = !downgraded && chainHashHolds(row, row.seq, hashOf);
      if (checkRow) {
        if (row.seq > prev.seq + 1) {
          const n = row.seq - prev.seq - 1;
          report('record-deleted', prev.seq + 1, n === 1 ? `the event at seq ${prev.seq + 1} was deleted` : `${n} events at seqs ${prev.seq + 1}..${row.seq - 1} were deleted`);
        }
        if (downgraded) {
          modified.add(row.seq);
          report('record-modified', row.seq, `the event at seq ${row.seq} was rewritten: its hash is in the first format, which only events older than the current format may carry`);
        } else if (!selfOk) {
          const original = await findOriginalSeq(row, lastShift, resourcesAt, hashOf);
          if (original !== undefined) {
            moved.push({ seq: row.seq, originalSeq: original });
            lastShift = row.seq - original;
          } else {
            modified.add(row.seq);
            report('record-modified', row.seq, `the event at seq ${row.seq} was modified: its content no longer matches its hash`);
          }
        } else {
          const mismatch = columnMismatch(row);
          if (mismatch) report('record-modified', row.seq, `the event at seq ${row.seq} was modified: its \`${mismatch}\` column disagrees with its record`);
          if (row.prevHash !== prev.hash && row.seq === prev.seq + 1 && prev.ok && prev.inRange) {
            if (prev.seq > base && row.prevHash === prev.prevHash) {
              report('record-inserted', prev.seq, `the event at seq ${prev.seq} was inserted: it and seq ${row.seq} claim the same predecessor`);
            } else if (prev.seq > base) {
              modified.add(prev.seq);
              report('record-modified', prev.seq, `the event at seq ${prev.seq} was modified and its hash recomputed: seq ${row.seq} no longer links to it`);
            } else {
              report('checkpoint-mismatch', row.seq, `seq ${row.seq} does not link to the retention checkpoint`);
            }
          }
        }
        const anchored = anchors.get(row.seq);
        if (anchored !== undefined && anchored !== row.hash) {
          report('anchor-mismatch', row.seq, `the chain at seq ${row.seq} differs from the hash a signed digest recorded at export: events up to it were rewritten and rehashed`);
        }
      }
      prev = { seq: row.seq, hash: row.hash, prevHash: row.prevHash, ok: selfOk, inRange: checkRow };
    }
    from = batch[batch.length - 1]!.seq + 1;
    opts.onProgress?.(rows, total);
  }

  if (head && beyondHead.length > 0) {
    // A row past the head as it is now was written without moving the head: inserted.
    const now = (await opts.source.getAuditHead()) ?? head;
    for (const seq of beyondHead) if (seq > now.seq) report('record-inserted', seq, `seq ${seq} is beyond the chain head (seq ${now.seq}): the event was inserted`);
  }
  if (head && prev.seq < head.seq) {
    const n = head.seq - prev.seq;
    report('record-deleted', prev.seq + 1, n === 1 ? `the newest event (seq ${head.seq}) was deleted` : `the newest ${n} events (seqs ${prev.seq + 1}..${head.seq}) were deleted`);
  } else if (head && prev.seq === head.seq && prev.hash !== head.hash && !modified.has(prev.seq)) {
    report('record-modified', head.seq, `the newest event (seq ${head.seq}) does not match the chain head`);
  }
  const exportedTo = Math.max(0, ...anchors.keys());
  if (exportedTo > prev.seq && exportedTo > base && !(head && head.seq > prev.seq)) {
    const n = exportedTo - prev.seq;
    report('record-deleted', prev.seq + 1, n === 1 ? `the event at seq ${exportedTo} was exported but is missing from the database` : `${n} events at seqs ${prev.seq + 1}..${exportedTo} were exported but are missing from the database`);
  }
  findings.push(...classifyMoves(moved, modified, findings));
  findings.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return { findings, rows, checked, ...(checkpoint ? { checkpoint } : {}), ...(head ? { head } : {}) };
}

/**
 * The resource rows stored at a seq: from the batch being checked, else read on demand (only a
 * broken row asks, so this stays rare).
 */
function resourceLookup(source: StoredChainOptions['source'], batch: AuditEventRow[]): (seq: number) => Promise<AuditResource[] | undefined> {
  const known = new Map<number, AuditResource[] | undefined>(batch.map((r) => [r.seq, r.resources]));
  return async (seq) => {
    if (!known.has(seq)) {
      if (source.getAuditResources) {
        known.set(seq, (await source.getAuditResources([seq])).get(seq) ?? []);
      } else {
        const [row] = await source.scanAuditEvents({ fromSeq: seq, limit: 1 });
        known.set(seq, row?.seq === seq ? row.resources : undefined);
      }
    }
    return known.get(seq);
  };
}

/**
 * The seq at which this row's hash holds, near its current seq, or `undefined`. Resource rows are
 * keyed by seq, so a renumbering that moved only the events left each event's resources at its
 * original seq: the hash is tried with the row's own resources and with those stored at the seq.
 */
async function findOriginalSeq(
  row: AuditEventRow,
  lastShift: number,
  resourcesAt: (seq: number) => Promise<AuditResource[] | undefined>,
  hashOf: ChainHashFunction,
): Promise<number | undefined> {
  const holds = async (s: number): Promise<boolean> => {
    if (s < 1 || s === row.seq) return false;
    if (chainHashHolds(row, s, hashOf)) return true;
    if (isLegacyChainHash(row.hash)) return false;
    const left = await resourcesAt(s);
    return left !== undefined && chainHashHolds({ ...row, resources: left }, s, hashOf);
  };
  // Runs of rows renumbered together share a shift: try the last one first.
  if (lastShift !== 0 && (await holds(row.seq - lastShift))) return row.seq - lastShift;
  for (let d = 1; d <= MOVE_WINDOW; d++) {
    if (await holds(row.seq - d)) return row.seq - d;
    if (await holds(row.seq + d)) return row.seq + d;
  }
  return undefined;
}

/**
 * Turns moved rows into findings. Rows that trade places with each other (a cycle of moves) were
 * reordered; a run of rows shifted up together was pushed by an insertion just before it, a run
 * shifted down pulled by a deletion.
 */
function classifyMoves(moved: Moved[], modified: Set<number>, existing: Finding[]): Finding[] {
  const out: Finding[] = [];
  const originalOf = new Map(moved.map((m) => [m.seq, m.originalSeq]));
  const inCycle = new Set<number>();
  for (const m of moved) {
    const path: number[] = [m.seq];
    let cur = m.originalSeq;
    while (originalOf.has(cur) && cur !== m.seq && path.length <= moved.length) {
      path.push(cur);
      cur = originalOf.get(cur)!;
    }
    if (cur === m.seq) for (const s of path) inCycle.add(s);
  }
  const runs = moved.filter((m) => !inCycle.has(m.seq));
  for (const m of moved) {
    if (inCycle.has(m.seq)) out.push({ kind: 'record-reordered', where: 'store', seq: m.seq, message: `the event at seq ${m.seq} was moved there from seq ${m.originalSeq}` });
  }
  for (let i = 0; i < runs.length; ) {
    const shift = runs[i]!.seq - runs[i]!.originalSeq;
    let j = i;
    while (j + 1 < runs.length && runs[j + 1]!.seq === runs[j]!.seq + 1 && runs[j + 1]!.seq - runs[j + 1]!.originalSeq === shift) j++;
    const first = runs[i]!.seq;
    const last = runs[j]!.seq;
    const count = j - i + 1;
    if (shift > 0) {
      const inserted = first - shift;
      // The inserted row failed its own hash (already reported as modified) or passed it.
      const idx = existing.findIndex((f) => f.kind === 'record-modified' && f.seq === inserted);
      if (idx >= 0) existing.splice(idx, 1);
      modified.delete(inserted);
      out.push({ kind: 'record-inserted', where: 'store', seq: inserted, message: `${shift === 1 ? 'an event was' : `${shift} events were`} inserted before seq ${first}; the ${count} event(s) at seqs ${first}..${last} were renumbered up` });
    } else {
      out.push({ kind: 'record-deleted', where: 'store', seq: first, message: `${shift === -1 ? 'an event was' : `${-shift} events were`} deleted at seq ${first}; the ${count} event(s) at seqs ${first}..${last} were renumbered down` });
    }
    i = j + 1;
  }
  return out;
}

/** The first indexed column that disagrees with the record text, if any. */
function columnMismatch(row: AuditEventRow): string | undefined {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(row.recordJson) as Record<string, unknown>;
  } catch {
    return 'record';
  }
  if (r.eventID !== row.eventId) return 'event_id';
  if (r.eventName !== row.eventName) return 'event_name';
  if (r.eventSource !== row.eventSource) return 'event_source';
  if (r.recipientAccountId !== row.accountId) return 'account_id';
  if (r.readOnly !== row.readOnly) return 'read_only';
  if (typeof r.eventTime !== 'string' || Math.floor(Date.parse(r.eventTime) / 1000) !== Math.floor(row.eventTime.getTime() / 1000)) return 'event_time';
  const identity = (r.userIdentity ?? {}) as Record<string, unknown>;
  // An empty key (AWS's `"accessKeyId": ""` of a sign-in naming no user) is no column value, as the writer stores it.
  if ((row.accessKeyId ?? undefined) !== (identity.accessKeyId || undefined)) return 'access_key_id';
  if ((row.errorCode ?? undefined) !== (r.errorCode ?? undefined)) return 'error_code';
  return undefined;
}
