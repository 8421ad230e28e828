/**
 * Verifies an export folder as CloudTrail's log file validation does: for each account and region,
 * walk the digest chain from the newest digest back, checking each digest's signature (the newest
 * from its signature file, each older one from the `previousDigestSignature` of the digest after
 * it), each digest's hash against the next one's `previousDigestHashValue`, and each listed log
 * file's SHA-256. Files on disk that no digest lists are reported too, except the log files of an
 * export that was killed part way, which the next export removes or lists: the export's journal,
 * signed by a trail key, names them with their hashes, and they are reported as warnings.
 */
import type { DigestChainAnchor, DigestFile } from '../export/digest.js';
import { parseDigest, sha256Hex, verifyDigestSignature } from '../export/digest.js';
import { listObjects, readObject } from '../export/export-folder.js';
import { JOURNAL_KEY, readJournal } from '../export/export-journal.js';
import { parseDigestFileKey, parseLogFileKey, signatureFileKey } from '../export/layout.js';
import type { TrailPublicKey } from '../export/signing-key.js';
import type { Finding } from './finding.js';

/** What export verification needs. */
export interface ExportVerifyOptions {
  exportDir: string;
  /** Keys that may have signed the digests, matched by fingerprint. */
  publicKeys: readonly TrailPublicKey[];
  /** Check only digests whose period ends at or after this time. */
  from?: Date;
  /** Check only digests whose period starts at or before this time. */
  to?: Date;
  /**
   * Called after each digest and each log file is checked, with the files checked and the files in
   * the folder: most of the work is hashing log files, so they are what the progress counts.
   */
  onProgress?: (done: number, total: number) => void;
}

/** The outcome of export verification. */
export interface ExportVerifyResult {
  findings: Finding[];
  digests: number;
  logFiles: number;
  /** Chain anchors of the digests whose signatures verified, for the stored-chain check. */
  anchors: DigestChainAnchor[];
  /** Not tampering: log files of an export that did not finish, which the next export removes or lists. */
  warnings: string[];
}

/** Verifies the digest chains and log files of an export folder. */
export async function verifyExport(opts: ExportVerifyOptions): Promise<ExportVerifyResult> {
  const findings: Finding[] = [];
  const report = (kind: Finding['kind'], key: string, message: string): void => {
    findings.push({ kind, where: 'export', key, message });
  };
  const keys = await listObjects(opts.exportDir);
  const present = new Set(keys);
  const groups = new Map<string, { key: string; stamp: string }[]>();
  const logKeys: string[] = [];
  for (const key of keys) {
    const d = parseDigestFileKey(key);
    if (d) {
      const g = `${d.accountId}/${d.region}`;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push({ key, stamp: d.stamp });
    } else if (parseLogFileKey(key)) {
      logKeys.push(key);
    } else if (!(key.endsWith('.json.gz.sig') && parseDigestFileKey(key.slice(0, -4)))) {
      report('file-unlisted', key, `\`${key}\` is not a CloudTrail log or digest file`);
    }
  }
  const byFingerprint = new Map(opts.publicKeys.map((k) => [k.fingerprint, k]));
  const inRange = (d: DigestFile): boolean => (!opts.from || Date.parse(d.digestEndTime) >= opts.from.getTime()) && (!opts.to || Date.parse(d.digestStartTime) <= opts.to.getTime());
  const listed = new Set<string>();
  const anchors: DigestChainAnchor[] = [];
  let headSeq: number | undefined;
  const total = [...groups.values()].reduce((n, g) => n + g.length, 0) + logKeys.length;
  let done = 0;
  let filesDone = 0;
  const progress = (): void => {
    filesDone++;
    opts.onProgress?.(Math.min(filesDone, total), total);
  };
  let logFiles = 0;

  for (const [, entries] of groups) {
    entries.sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0)); // newest first
    const visited = new Set<string>();
    // Where the walk stands: the digest to read and what the digest after it says about it.
    let cur: { key: string; expectedHash?: string; signature?: string; nextStart?: string } | undefined = { key: entries[0]!.key };
    let chainHead = false;
    while (cur) {
      const { key } = cur;
      visited.add(key);
      const content = present.has(key) ? await readObject(opts.exportDir, key).catch(() => undefined) : undefined;
      if (content === undefined) {
        if (present.has(key)) report('digest-unreadable', key, `digest \`${key}\` is not a readable gzip file`);
        else report('digest-missing', key, `digest \`${key}\` is missing: the digest after it names it as its predecessor`);
        cur = resumeAfterGap(entries, visited, key);
        continue;
      }
      done++;
      progress();
      const parsed = parseDigest(content);
      if (!parsed.ok) {
        report('digest-unreadable', key, `digest \`${key}\` is not a digest file (${parsed.reason})`);
        cur = resumeAfterGap(entries, visited, key);
        continue;
      }
      const digest = parsed.digest;
      const check = inRange(digest);
      let trusted = true;
      let signature = cur.signature;
      if (signature === undefined) {
        signature = (await readObject(opts.exportDir, signatureFileKey(key)))?.trim();
        if (!signature && check) report('digest-signature-missing', key, `digest \`${key}\` has no signature file`);
      }
      // Each chain's head, whatever the range checked: its newest digest whose signature holds. A
      // journal older than the export's head is stale even when `--to` leaves that digest out.
      if (!chainHead && signature) {
        const publicKey = byFingerprint.get(digest.digestPublicKeyFingerprint);
        if (publicKey && verifyDigestSignature(digest, content, signature, publicKey.publicKey)) {
          chainHead = true;
          headSeq = Math.max(headSeq ?? 0, digest.castellanChain.toSeq);
        }
      }
      if (check) {
        if (cur.expectedHash !== undefined && cur.expectedHash !== sha256Hex(content)) {
          trusted = false;
          report('digest-modified', key, `digest \`${key}\` was modified: its hash differs from the one the next digest recorded`);
        }
        if (digest.digestS3Object !== key) {
          trusted = false;
          report('digest-modified', key, `digest \`${key}\` says it is \`${digest.digestS3Object}\`: it was moved or replaced`);
        }
        const publicKey = byFingerprint.get(digest.digestPublicKeyFingerprint);
        if (signature) {
          if (!publicKey) {
            trusted = false;
            report('digest-signature-invalid', key, `digest \`${key}\` was signed by an unknown key (fingerprint ${digest.digestPublicKeyFingerprint})`);
          } else if (!verifyDigestSignature(digest, content, signature, publicKey.publicKey)) {
            trusted = false;
            report('digest-signature-invalid', key, `digest \`${key}\` does not match its signature: the digest or its signature was modified`);
          }
        } else {
          trusted = false;
        }
        if (cur.nextStart !== undefined && cur.nextStart !== digest.digestEndTime) {
          report('digest-chain-broken', key, `the digest after \`${key}\` starts at ${cur.nextStart}, not at its end ${digest.digestEndTime}`);
        }
        if (trusted) anchors.push(digest.castellanChain);
      }
      for (const f of digest.logFiles) {
        listed.add(f.s3Object);
        if (!check) continue;
        logFiles++;
        const body = present.has(f.s3Object) ? await readObject(opts.exportDir, f.s3Object).catch(() => null) : undefined;
        if (body === undefined) report('file-missing', f.s3Object, `log file \`${f.s3Object}\` listed by digest \`${key}\` is missing`);
        else if (body === null || sha256Hex(body) !== f.hashValue) report('file-modified', f.s3Object, `log file \`${f.s3Object}\` was modified: its SHA-256 differs from the one digest \`${key}\` recorded`);
        if (body !== undefined) progress();
      }
      if (digest.previousDigestS3Object) {
        cur = {
          key: digest.previousDigestS3Object,
          ...(digest.previousDigestHashValue ? { expectedHash: digest.previousDigestHashValue } : {}),
          ...(digest.previousDigestSignature ? { signature: digest.previousDigestSignature } : {}),
          nextStart: digest.digestStartTime,
        };
        if (visited.has(cur.key)) {
          report('digest-chain-broken', key, `digest \`${key}\` names \`${cur.key}\` as its predecessor, which the chain already passed`);
          cur = undefined;
        }
      } else {
        // The first digest of the chain. Any older digest is not part of it.
        cur = undefined;
      }
    }
    for (const e of entries) {
      if (!visited.has(e.key)) report('digest-unlisted', e.key, `digest \`${e.key}\` is not part of the digest chain: it was inserted or its successor replaced`);
    }
  }
  const warnings: string[] = [];
  const unfinished = await unfinishedExport(opts.exportDir, byFingerprint, Math.max(headSeq ?? 0, ...anchors.map((a) => a.toSeq)), report, (w) => warnings.push(w));
  for (const key of logKeys) {
    if (listed.has(key)) continue;
    const hash = unfinished?.files.get(key);
    const body = hash === undefined ? undefined : await readObject(opts.exportDir, key).catch(() => undefined);
    if (body !== undefined && sha256Hex(body) === hash) {
      warnings.push(`log file \`${key}\` was written by an export that did not finish (its signed journal names it): the next export ${unfinished!.next}`);
    } else {
      report('file-unlisted', key, `log file \`${key}\` is not listed by any digest: it was added, or its digest was removed`);
    }
  }
  return { findings, digests: done, logFiles, anchors, warnings };
}

/**
 * The log files (key → SHA-256) of an export that did not finish, from its journal, when a trail
 * key signed it; a journal that is not one, or not signed by a trail key, is a finding.
 */
async function unfinishedExport(
  exportDir: string,
  byFingerprint: Map<string, TrailPublicKey>,
  exportedTo: number,
  report: (kind: Finding['kind'], key: string, message: string) => void,
  warn: (message: string) => void,
): Promise<{ files: Map<string, string>; next: string } | undefined> {
  const read = await readJournal(exportDir).catch((err: unknown) => ({ invalid: (err as Error).message }));
  if (!read) return undefined;
  if ('invalid' in read) {
    report('journal-invalid', JOURNAL_KEY, `the export journal \`${JOURNAL_KEY}\` is not one (${read.invalid}): it was modified or added`);
    return undefined;
  }
  const key = byFingerprint.get(read.fingerprint);
  if (!key || !read.signedBy(key.publicKey)) {
    report('journal-invalid', JOURNAL_KEY, `the export journal \`${JOURNAL_KEY}\` is not signed by a trail key: it was modified or added`);
    return undefined;
  }
  // The journal of the last run only: a run's digests anchor at most the seq it exported to.
  const j = read.journal;
  const runTo = j.phase === 'files' ? j.fromSeq : Math.max(j.fromSeq, ...j.digests.map((d) => parseDigestAnchor(d.content)));
  if (exportedTo > runTo) {
    warn(`the export journal \`${JOURNAL_KEY}\` is older than the newest digests (put back from a copy?): it excuses none of the files it names, and the next export removes it`);
    return undefined;
  }
  const next = j.phase === 'files' ? 'removes it and exports its events again' : 'writes the digest that lists it';
  return { files: new Map(read.journal.files.map((f) => [f.s3Object, f.hashValue])), next };
}

/** The seq a digest's content anchors (0 if it is not a digest). */
function parseDigestAnchor(content: string): number {
  const parsed = parseDigest(content);
  return parsed.ok ? parsed.digest.castellanChain.toSeq : 0;
}

/** After a missing or unreadable digest, carry on from the newest older digest not yet visited. */
function resumeAfterGap(entries: { key: string; stamp: string }[], visited: Set<string>, missingKey: string): { key: string } | undefined {
  const stamp = parseDigestFileKey(missingKey)?.stamp;
  const next = entries.find((e) => !visited.has(e.key) && (stamp === undefined || e.stamp < stamp));
  return next ? { key: next.key } : undefined;
}
