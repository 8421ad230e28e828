/** An AWS account hosted by this server. */
export interface AccountRow {
  /** The 12-digit account id. */
  id: string;
  createDate: Date;
  /** The account password policy as JSON (`UpdateAccountPasswordPolicy` input), if one is set. */
  passwordPolicyJson?: string;
  /** Server-side settings of the account as a JSON object text. Default is `{}`. */
  settingsJson: string;
}

/** The numbers `GetAccountSummary` reports that come from stored rows. */
export interface AccountUsage {
  users: number;
  groups: number;
  roles: number;
  /** Customer managed policies. */
  policies: number;
  /** Versions of all customer managed policies. */
  policyVersions: number;
  /** Versions of customer managed policies that are attached to at least one entity. */
  policyVersionsInUse: number;
  /** Distinct managed policies (customer and AWS) attached to at least one entity. */
  attachedPolicies: number;
  /** Access keys owned by the account's root user. */
  rootAccessKeys: number;
  /** Users that have a login profile. */
  loginProfiles: number;
}

/** Accounts, their aliases, password policy and settings. */
export interface AccountStore {
  /** Creates an account row. Throws `StoreConflictError` if the id exists. */
  createAccount(input: { id: string; createDate: Date; settingsJson?: string }): Promise<AccountRow>;
  /** The account, or `undefined`. */
  getAccount(accountId: string): Promise<AccountRow | undefined>;
  /** All accounts, by id. */
  listAccounts(): Promise<AccountRow[]>;
  /** Sets or clears (`null`) the password policy, or replaces the settings. */
  updateAccount(accountId: string, patch: { passwordPolicyJson?: string | null; settingsJson?: string }): Promise<AccountRow | undefined>;
  /** The root user's console password hash (argon2id), or `undefined` when root has none or the account is unknown. */
  getRootPasswordHash(accountId: string): Promise<string | undefined>;
  /** Sets or clears (`null`) the root user's console password hash; `false` if the account is unknown. */
  setRootPasswordHash(accountId: string, hash: string | null): Promise<boolean>;
  /** Records a console sign-in of the root user (`password_last_used` of the credential report's `<root_account>` row). */
  recordRootPasswordUse(accountId: string, usedAt: Date): Promise<void>;
  /** When the root user last signed in to the console, or `undefined`. */
  getRootPasswordLastUsed(accountId: string): Promise<Date | undefined>;
  /**
   * Adds an alias. Aliases are globally unique (across accounts), compared case-insensitively:
   * a taken alias throws `StoreConflictError`. AWS allows one alias per account; services enforce
   * that with `lockForUpdate({ kind: 'account' })` + `listAccountAliases`.
   */
  createAccountAlias(accountId: string, alias: string, createDate: Date): Promise<void>;
  /** Removes an alias of the account; `false` if it had no such alias. */
  deleteAccountAlias(accountId: string, alias: string): Promise<boolean>;
  /** The account's aliases, by alias. */
  listAccountAliases(accountId: string): Promise<string[]>;
  /** The account owning an alias (case-insensitive), for sign-in URLs. */
  getAccountIdByAlias(alias: string): Promise<string | undefined>;
  /** Counts for `GetAccountSummary`. */
  getAccountUsage(accountId: string): Promise<AccountUsage>;
  /**
   * How many users, groups, roles or customer managed policies the account has: the one count a
   * create's quota check needs (`getAccountUsage` counts everything, versions and attachments too).
   * Costs the same at any size of account (SQL: a count kept with every insert and delete), and
   * inside a transaction that locked the account it is exact: it sees every committed create.
   */
  countAccountEntities(accountId: string, kind: 'users' | 'groups' | 'roles' | 'policies'): Promise<number>;
}
