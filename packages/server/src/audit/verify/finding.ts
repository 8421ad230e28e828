/**
 * What `castellan trail verify` reports: one finding per thing found wrong, as data.
 */

/** The kinds of tampering and damage verification tells apart. */
export type FindingKind =
  // stored records (the hash chain in the database)
  | 'record-modified'
  | 'record-deleted'
  | 'record-inserted'
  | 'record-reordered'
  | 'checkpoint-mismatch'
  | 'anchor-mismatch'
  // exported files (log files and the signed digest chain)
  | 'file-modified'
  | 'file-missing'
  | 'file-unlisted'
  | 'digest-missing'
  | 'digest-modified'
  | 'digest-unreadable'
  | 'digest-signature-missing'
  | 'digest-signature-invalid'
  | 'digest-unlisted'
  | 'digest-chain-broken'
  | 'journal-invalid';

/** One thing verification found wrong. */
export interface Finding {
  kind: FindingKind;
  /** `store` for database rows, `export` for files. */
  where: 'store' | 'export';
  /** The seq of the stored event concerned, if any. */
  seq?: number;
  /** The export object concerned (relative key), if any. */
  key?: string;
  /** A sentence for people. */
  message: string;
}
