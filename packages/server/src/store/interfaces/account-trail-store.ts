/**
 * What an account has changed on its one CloudTrail trail (services/cloudtrail/account-trail.ts):
 * whether it logs (delivers to the export) and since when, its tags and its event selectors. An account that never
 * changed anything has no row, and its trail is the default one: logging since the account was
 * created, no tags.
 */
export interface AccountTrailState {
  accountId: string;
  /** False after StopLogging, until StartLogging. */
  logging: boolean;
  /** The latest StartLogging (absent: never called; logging since the account's creation). */
  startLoggingTime?: Date;
  /** The latest StopLogging (absent: never called). */
  stopLoggingTime?: Date;
  /** The trail's tags, in the order they were first added; keys compared case-sensitively, as CloudTrail does. */
  tags: Array<{ key: string; value: string }>;
  /** The trail's event selectors as PutEventSelectors stored them (JSON the service writes and reads); absent: the default. */
  eventSelectorsJson?: string;
}

/** The accounts' trail settings. */
export interface AccountTrailStore {
  /** The account's trail settings, or undefined when it never changed any. */
  getAccountTrail(accountId: string): Promise<AccountTrailState | undefined>;
  /** Writes the account's whole trail state (insert or replace). Callers read, change and write it in one transaction, after locking the account. */
  putAccountTrail(state: AccountTrailState): Promise<void>;
}
