/**
 * Exports stored audit events to log files in CloudTrail's layout and signs a digest per account
 * and region for each run. The export folder is its own state: the newest digests say which seq
 * was exported last (`castellanChain.toSeq`), so a run continues where the previous one stopped,
 * and its journal (`export-journal.ts`) says what a run that was killed part way had written, so
 * the next run first undoes it (no digest written yet) or finishes it (some were).
 */
import { randomBytes } from 'node:crypto';
import { GENESIS_HASH } from '../../store/chain-hash.js';
import { formatEventTime } from '../cloudtrail-style.js';
import type { AuditEventRow, AuditStore } from '../../store/store.js';
import type { Clock } from '../../domain/context.js';
import { parseDigest, sha256Hex, signDigest, type DigestChainAnchor, type DigestFile, type DigestLogFile } from './digest.js';
import { listObjects, readObject, removeObject, removeTemporaries, withExportLock, writeObject } from './export-folder.js';
import { readJournal, removeJournal, writeJournal, type ExportJournal, type JournalDigest, type JournalLogFile } from './export-journal.js';
import { digestFileKey, logFileBody, logFileKey, parseDigestFileKey, signatureFileKey } from './layout.js';
import type { TrailSigningKey } from './signing-key.js';

/** What an export needs. */
export interface TrailExportOptions {
  source: Pick<AuditStore, 'scanAuditEvents'>;
  /** The folder that receives `AWSLogs/…`. */
  exportDir: string;
  signingKey: TrailSigningKey;
  clock: Clock;
  /** The bucket name written into digests, for an export later synced to S3. Default is `castellan-trail`. */
  bucket?: string;
  /** The trail name in digest file names. Default is `castellan`. */
  trailName?: string;
  /** The trail's home region in digest file names. Default is `us-east-1`. */
  homeRegion?: string;
  /** Records per log file at most. Default is `1000`. */
  maxRecordsPerFile?: number;
  /** Export only events with `seq <= throughSeq`. Default is every stored event. */
  throughSeq?: number;
  /**
   * Which of an account's events its trail delivers (its logging state, read once per account and
   * run); an event it does not deliver is passed over and never delivered. Default: every event.
   */
  deliveryFilter?: (accountId: string) => Promise<(row: AuditEventRow) => boolean>;
  /**
   * Called after each durable step (see {@link ExportStep}); what it throws stops the run right
   * there, leaving the folder as a crash at that point would. For fault-injection tests.
   */
  onStep?: (step: ExportStep) => void | Promise<void>;
}

/**
 * The durable steps of a run, in order: the journal names a log file, the log file is written
 * (both once per file); the journal holds the digests; each digest is written; the run is complete
 * (its journal is removed next).
 */
export type ExportStep = 'journal-file' | 'log-file' | 'journal-digests' | 'digest' | 'complete';

/** What a run did about an earlier run that was killed part way. */
export interface ExportRecovery {
  /**
   * `undone`: it had written no digest, its log files were removed; `finished`: its remaining
   * digests were written; `stale`: the journal was older than the newest digests (put back from a
   * copy), so it was removed and nothing else.
   */
  outcome: 'undone' | 'finished' | 'stale';
  /** Log files removed (undone) or now listed by a digest (finished). */
  logFiles: string[];
  /** Digests written now (finished). */
  digestFiles: string[];
}

/** What one export run wrote. */
export interface TrailExportResult {
  /** The first seq this run read (`toSeq + 1` when it read nothing). */
  fromSeq: number;
  /**
   * The highest seq exported so far, by this run or an earlier one (0 when none): the seq the
   * newest digest anchors, so events passed over by a run that wrote no digest are not counted.
   */
  toSeq: number;
  events: number;
  logFiles: string[];
  digestFiles: string[];
  /** Set when this run first undid or finished an interrupted one. */
  recovered?: ExportRecovery;
}

/** The newest digest of one account and region. */
export interface LatestDigest {
  key: string;
  content: string;
  digest: DigestFile;
  signature: string;
}

/** The newest digest of each account and region, and how far the export went. */
export interface ExportState {
  latest: Map<string, LatestDigest>;
  anchor: DigestChainAnchor;
}

const groupKey = (accountId: string, region: string): string => `${accountId}/${region}`;

/**
 * Reads where the previous export stopped. Throws when the newest digest of some account and
 * region cannot be read or has lost its signature: continuing would chain new digests onto a
 * damaged one, so `castellan trail verify` must be run first.
 */
export async function readExportState(exportDir: string): Promise<ExportState> {
  const newest = new Map<string, { key: string; stamp: string }>();
  for (const key of await listObjects(exportDir)) {
    const parsed = parseDigestFileKey(key);
    if (!parsed) continue;
    const g = groupKey(parsed.accountId, parsed.region);
    const cur = newest.get(g);
    if (!cur || parsed.stamp > cur.stamp) newest.set(g, { key, stamp: parsed.stamp });
  }
  const latest = new Map<string, LatestDigest>();
  let anchor: DigestChainAnchor = { toSeq: 0, toHash: GENESIS_HASH };
  for (const [g, { key }] of newest) {
    const content = await readObject(exportDir, key);
    const parsed = content === undefined ? undefined : parseDigest(content);
    if (!content || !parsed || !parsed.ok) throw new Error(`digest \`${key}\` cannot be read; run \`castellan trail verify\``);
    const signature = (await readObject(exportDir, signatureFileKey(key)))?.trim();
    if (!signature) throw new Error(`digest \`${key}\` has lost its signature file; run \`castellan trail verify\``);
    latest.set(g, { key, content, digest: parsed.digest, signature });
    if (parsed.digest.castellanChain.toSeq > anchor.toSeq) anchor = parsed.digest.castellanChain;
  }
  return { latest, anchor };
}

interface PendingGroup {
  accountId: string;
  region: string;
  records: string[];
  oldest?: Date;
  newest?: Date;
  files: DigestLogFile[];
}

/**
 * Exports the events stored since the last export, then writes and signs one digest for each
 * account and region that received log files.
 *
 * @example
 * ```ts
 * const key = await loadOrCreateSigningKey(config.dataDir);
 * const r = await exportTrail({ source: store, exportDir: join(config.dataDir, 'trail'), signingKey: key, clock });
 * console.log(`exported ${r.events} events up to seq ${r.toSeq}`);
 * ```
 */
export async function exportTrail(opts: TrailExportOptions): Promise<TrailExportResult> {
  return withExportLock(opts.exportDir, () => exportLocked(opts));
}

/**
 * Undoes or finishes the run that the folder's journal describes, if any (the caller holds the
 * export lock). A journal that the signing key did not sign is left alone and stops the export:
 * the files it names are nobody's to remove.
 *
 * @example
 * ```ts
 * const r = await withExportLock(exportDir, () => recoverInterruptedExport(exportDir, key));
 * if (r) console.log(`${r.outcome} an interrupted export`);
 * ```
 */
export async function recoverInterruptedExport(exportDir: string, signingKey: TrailSigningKey): Promise<ExportRecovery | undefined> {
  const read = await readJournal(exportDir);
  if (!read) return undefined;
  if ('invalid' in read || !read.signedBy(signingKey.publicKey)) {
    const why = 'invalid' in read ? read.invalid : `it is not signed by the trail's signing key (${signingKey.fingerprint})`;
    throw new Error(`the export journal \`${exportDir}/.castellan-export-journal.json\` cannot be used (${why}); run \`castellan trail verify\``);
  }
  const { journal } = read;
  if (journal.phase === 'files') {
    if ((await readExportState(exportDir)).anchor.toSeq !== journal.fromSeq) {
      // Digests were written since the journal: it is not the last run's; its files are nobody's to remove.
      await removeJournal(exportDir);
      return { outcome: 'stale', logFiles: [], digestFiles: [] };
    }
    // No digest of the run exists: remove its files, so the events are exported once, by the next run.
    const removed: string[] = [];
    for (const f of journal.files) {
      const body = await readObject(exportDir, f.s3Object).catch(() => undefined);
      // A file whose content is not the one the journal names is not the run's: verify reports it.
      if (body !== undefined && sha256Hex(body) === f.hashValue) {
        await removeObject(exportDir, f.s3Object);
        removed.push(f.s3Object);
      }
      await removeTemporaries(exportDir, f.s3Object);
    }
    await removeJournal(exportDir);
    return { outcome: 'undone', logFiles: removed, digestFiles: [] };
  }
  // The run reached its commit point: every log file is on disk, write the digests still missing.
  const written: string[] = [];
  for (const d of journal.digests) {
    // Digests are written whole (temporary file, rename) or not at all: one that differs was changed.
    const existing = await readObject(exportDir, d.key).catch(() => null);
    if (existing === d.content) continue;
    if (existing !== undefined) throw new Error(`digest \`${d.key}\` differs from the one the interrupted export was writing; run \`castellan trail verify\``);
    await writeObject(exportDir, signatureFileKey(d.key), d.signature);
    await writeObject(exportDir, d.key, d.content);
    written.push(d.key);
  }
  await removeJournal(exportDir);
  return { outcome: 'finished', logFiles: journal.files.map((f) => f.s3Object), digestFiles: written };
}

async function exportLocked(opts: TrailExportOptions): Promise<TrailExportResult> {
  const bucket = opts.bucket ?? 'castellan-trail';
  const trailName = opts.trailName ?? 'castellan';
  const homeRegion = opts.homeRegion ?? 'us-east-1';
  const maxPerFile = opts.maxRecordsPerFile ?? 1000;
  const recovered = await recoverInterruptedExport(opts.exportDir, opts.signingKey);
  const state = await readExportState(opts.exportDir);
  const step = async (s: ExportStep): Promise<void> => {
    await opts.onStep?.(s);
  };
  const startedAt = opts.clock.now().toISOString();
  const journaled: JournalLogFile[] = [];
  const journal = (j: ExportJournal): Promise<void> => writeJournal(opts.exportDir, j, opts.signingKey.privateKey, opts.signingKey.fingerprint);
  const deliveredAt = opts.clock.now();
  const groups = new Map<string, PendingGroup>();
  const logFiles: string[] = [];
  let anchor = state.anchor;
  let events = 0;
  const filters = new Map<string, (row: AuditEventRow) => boolean>();
  const delivers = async (row: AuditEventRow): Promise<boolean> => {
    if (!opts.deliveryFilter) return true;
    let filter = filters.get(row.accountId);
    if (!filter) filters.set(row.accountId, (filter = await opts.deliveryFilter(row.accountId)));
    return filter(row);
  };

  const flush = async (g: PendingGroup): Promise<void> => {
    if (g.records.length === 0) return;
    const key = logFileKey(g.accountId, g.region, deliveredAt, uniqueString());
    const body = logFileBody(g.records);
    const hashValue = sha256Hex(body);
    // Named in the journal before it exists: a run killed after this knows the file is its own.
    journaled.push({ s3Object: key, hashValue });
    await journal({ phase: 'files', startedAt, fromSeq: state.anchor.toSeq, files: journaled });
    await step('journal-file');
    await writeObject(opts.exportDir, key, body);
    await step('log-file');
    g.files.push({
      s3Bucket: bucket,
      s3Object: key,
      hashValue,
      hashAlgorithm: 'SHA-256',
      newestEventTime: formatEventTime(g.newest!),
      oldestEventTime: formatEventTime(g.oldest!),
    });
    logFiles.push(key);
    g.records = [];
    g.oldest = undefined;
    g.newest = undefined;
  };

  for (let from = anchor.toSeq + 1; ; ) {
    const rows = await opts.source.scanAuditEvents({ fromSeq: from, limit: 1000 });
    const batch = opts.throughSeq === undefined ? rows : rows.filter((r) => r.seq <= opts.throughSeq!);
    for (const row of batch) {
      anchor = { toSeq: row.seq, toHash: row.hash };
      if (!(await delivers(row))) continue;
      const region = recordRegion(row);
      const k = groupKey(row.accountId, region);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { accountId: row.accountId, region, records: [], files: [] }));
      g.records.push(row.recordJson);
      if (!g.oldest || row.eventTime < g.oldest) g.oldest = row.eventTime;
      if (!g.newest || row.eventTime > g.newest) g.newest = row.eventTime;
      if (g.records.length >= maxPerFile) await flush(g);
      events++;
    }
    if (batch.length < rows.length || rows.length === 0) break;
    from = rows[rows.length - 1]!.seq + 1;
  }
  for (const g of groups.values()) await flush(g);

  const digests: JournalDigest[] = [];
  const endBase = new Date(Math.floor(deliveredAt.getTime() / 1000) * 1000);
  for (const [k, g] of groups) {
    if (g.files.length === 0) continue;
    const prev = state.latest.get(k);
    // Digest names carry the end second; two runs in one second must not share a name.
    const prevEnd = prev ? Date.parse(prev.digest.digestEndTime) : Number.NEGATIVE_INFINITY;
    const end = endBase.getTime() > prevEnd ? endBase : new Date(prevEnd + 1000);
    const key = digestFileKey(g.accountId, g.region, trailName, homeRegion, end);
    const oldest = g.files.map((f) => f.oldestEventTime).sort()[0]!;
    const newest = g.files.map((f) => f.newestEventTime).sort().at(-1)!;
    const digest: DigestFile = {
      awsAccountId: g.accountId,
      digestStartTime: prev ? prev.digest.digestEndTime : oldest,
      digestEndTime: formatEventTime(end),
      digestS3Bucket: bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: opts.signingKey.fingerprint,
      digestSignatureAlgorithm: 'Ed25519',
      newestEventTime: newest,
      oldestEventTime: oldest,
      previousDigestS3Bucket: prev ? prev.digest.digestS3Bucket : null,
      previousDigestS3Object: prev ? prev.key : null,
      previousDigestHashValue: prev ? sha256Hex(prev.content) : null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev ? prev.signature : null,
      logFiles: g.files,
      castellanChain: anchor,
    };
    const content = JSON.stringify(digest);
    digests.push({ key, content, signature: signDigest(digest, content, opts.signingKey.privateKey) });
  }
  const digestFiles: string[] = [];
  // Every group that received a log file has a digest: the run wrote files exactly when it has digests.
  if (digests.length > 0) {
    // The commit point: from here on a killed run is finished by the next, not undone.
    await journal({ phase: 'digests', startedAt, fromSeq: state.anchor.toSeq, files: journaled, digests });
    await step('journal-digests');
    for (const d of digests) {
      // The signature lands first: a digest is never visible without it.
      await writeObject(opts.exportDir, signatureFileKey(d.key), d.signature);
      await writeObject(opts.exportDir, d.key, d.content);
      digestFiles.push(d.key);
      await step('digest');
    }
    await step('complete');
    await removeJournal(opts.exportDir);
  }
  // Without a digest the anchor is not kept: the next run reads the passed-over events again.
  const toSeq = digestFiles.length > 0 ? anchor.toSeq : state.anchor.toSeq;
  return { fromSeq: state.anchor.toSeq + 1, toSeq, events, logFiles, digestFiles, ...(recovered ? { recovered } : {}) };
}

/** The region a record was made in (its log file's region). */
function recordRegion(row: AuditEventRow): string {
  try {
    const region = (JSON.parse(row.recordJson) as { awsRegion?: unknown }).awsRegion;
    if (typeof region === 'string' && /^[a-z0-9-]+$/.test(region)) return region;
  } catch {
    // A record that is not JSON is still exported; verification reports the row itself.
  }
  return 'us-east-1';
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** CloudTrail's 16-character unique string of log file names. */
function uniqueString(): string {
  const bytes = randomBytes(16);
  let s = '';
  for (const b of bytes) s += ALPHANUM[b % ALPHANUM.length];
  return s;
}
