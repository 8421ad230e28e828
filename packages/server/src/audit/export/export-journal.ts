/**
 * The export's journal: what a run is about to write, written and synced before it writes it, so
 * that a run killed part way (SIGKILL, power loss) is finished or undone by the next one and never
 * leaves files that `castellan trail verify` must take for tampering.
 *
 * A run has two phases, and the digests are its commit point:
 *
 * 1. `files`: before each log file is written, the journal is rewritten to name it (with its
 *    SHA-256). No digest of the run exists yet, so a run killed here is undone: the next run
 *    removes the files the journal names (those whose content is still the one it names) and
 *    exports the same events again. The journal names the seq the run started after (`fromSeq`):
 *    one whose digests have moved on since is stale (put back from a copy) and removes nothing.
 * 2. `digests`: once every log file is on disk, the journal is rewritten to hold the run's digests
 *    themselves (content and signature), then they are written. A run killed here is finished: the
 *    next run writes the digests that are not there yet, so every account and region of the run
 *    gets its digest, all anchored at the same seq.
 *
 * The journal is signed with the trail's signing key: verification excuses only files that a
 * journal signed by a trail key names, with their hash, so whoever can write into the folder but
 * does not hold the key cannot pass an added file off as an unfinished export's.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { readObject, removeObject, writeObject } from './export-folder.js';

/** The journal's object key (beside `AWSLogs/`, so never taken for a log or digest file). */
export const JOURNAL_KEY = '.castellan-export-journal.json';

/** One log file an unfinished run wrote or was about to write. */
export interface JournalLogFile {
  s3Object: string;
  /** Hex SHA-256 of its uncompressed content. */
  hashValue: string;
}

/** One digest a run that reached its commit point writes. */
export interface JournalDigest {
  key: string;
  /** The digest file's content, as it is written. */
  content: string;
  /** Its signature file's content. */
  signature: string;
}

/** What an unfinished run was doing. */
export type ExportJournal =
  | { phase: 'files'; startedAt: string; fromSeq: number; files: JournalLogFile[] }
  | { phase: 'digests'; startedAt: string; fromSeq: number; files: JournalLogFile[]; digests: JournalDigest[] };

/** A journal as read from the folder, with whether a given key signed it. */
export interface ReadJournal {
  journal: ExportJournal;
  /** The fingerprint the journal names for its signer. */
  fingerprint: string;
  /** True when `publicKey` verifies its signature. */
  signedBy(publicKey: KeyObject): boolean;
}

interface StoredJournal {
  /** The journal as the signed JSON text. */
  body: string;
  fingerprint: string;
  signature: string;
}

/** Writes (replaces) the journal, synced, signed by `privateKey`. */
export async function writeJournal(exportDir: string, journal: ExportJournal, privateKey: KeyObject, fingerprint: string): Promise<void> {
  const body = JSON.stringify(journal);
  const stored: StoredJournal = { body, fingerprint, signature: sign(null, Buffer.from(body, 'utf8'), privateKey).toString('hex') };
  await writeObject(exportDir, JOURNAL_KEY, JSON.stringify(stored));
}

/** Removes the journal: the run it describes is complete (or undone). */
export async function removeJournal(exportDir: string): Promise<void> {
  await removeObject(exportDir, JOURNAL_KEY);
}

/**
 * Reads the journal: `undefined` when there is none (no run was interrupted), `invalid` with a
 * reason when the file is not a journal.
 */
export async function readJournal(exportDir: string): Promise<ReadJournal | { invalid: string } | undefined> {
  const text = await readObject(exportDir, JOURNAL_KEY);
  if (text === undefined) return undefined;
  let stored: Partial<StoredJournal>;
  let journal: ExportJournal;
  try {
    stored = JSON.parse(text) as Partial<StoredJournal>;
    if (typeof stored.body !== 'string' || typeof stored.signature !== 'string' || typeof stored.fingerprint !== 'string') return { invalid: 'it lacks its body or signature' };
    journal = JSON.parse(stored.body) as ExportJournal;
  } catch {
    return { invalid: 'it is not JSON' };
  }
  const isFile = (f: unknown): f is JournalLogFile => !!f && typeof (f as JournalLogFile).s3Object === 'string' && typeof (f as JournalLogFile).hashValue === 'string';
  const isDigest = (d: unknown): d is JournalDigest =>
    !!d && typeof (d as JournalDigest).key === 'string' && typeof (d as JournalDigest).content === 'string' && typeof (d as JournalDigest).signature === 'string';
  if (typeof journal.fromSeq !== 'number') return { invalid: 'it lacks `fromSeq`' };
  if (!Array.isArray(journal.files) || !journal.files.every(isFile)) return { invalid: 'its `files` are not a list of files' };
  if (journal.phase === 'digests' ? !Array.isArray(journal.digests) || !journal.digests.every(isDigest) : journal.phase !== 'files') {
    return { invalid: 'its phase is unknown' };
  }
  const { body, signature, fingerprint } = stored as StoredJournal;
  return {
    journal,
    fingerprint,
    signedBy(publicKey) {
      if (!/^[0-9a-f]+$/i.test(signature)) return false;
      try {
        return verify(null, Buffer.from(body, 'utf8'), publicKey, Buffer.from(signature, 'hex'));
      } catch {
        return false;
      }
    },
  };
}
