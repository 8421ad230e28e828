/** The account's credential report: `generating` while a node builds it, then `complete`. */
export interface CredentialReportRow {
  accountId: string;
  state: 'generating' | 'complete';
  /** When the current (or last) generation started. */
  startedAt: Date;
  /** When the stored content was generated; absent until the first generation completes. */
  generatedAt?: Date;
  /** The CSV text of the last completed report. */
  content?: string;
}

/** What `claimCredentialReportGeneration` found. */
export type CredentialReportClaim =
  /** The caller must generate now (the row is `generating` under its `startedAt`). */
  | { claimed: true; previous?: CredentialReportRow }
  /** A fresh report exists, or another caller is generating one. */
  | { claimed: false; current: CredentialReportRow };

/**
 * Credential reports (GenerateCredentialReport / GetCredentialReport), one per account, stored so
 * every node serves the same report.
 */
export interface CredentialReportStore {
  /** The account's report row, or `undefined` before the first GenerateCredentialReport. */
  getCredentialReport(accountId: string): Promise<CredentialReportRow | undefined>;
  /**
   * Atomically decides who generates: the caller claims the report (state `generating`,
   * `startedAt = now`) when there is no row, when the last complete report was generated before
   * `staleBefore`, or when a generation started before `abandonedBefore` never finished. Two
   * concurrent callers never both claim it. A conditional write, safe on every node.
   */
  claimCredentialReportGeneration(input: { accountId: string; now: Date; staleBefore: Date; abandonedBefore: Date }): Promise<CredentialReportClaim>;
  /**
   * Stores the generated CSV and marks the report `complete`, only if the generation that started at
   * `startedAt` still holds the claim; `false` otherwise (another generation took over).
   */
  completeCredentialReport(input: { accountId: string; startedAt: Date; generatedAt: Date; content: string }): Promise<boolean>;
}
