/** An IAM OpenID Connect provider. Its ARN is its id; `url` is the issuer without `https://`. */
export interface OidcProviderRow {
  accountId: string;
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: Date;
}

/**
 * IAM OIDC providers, one per URL per account. Client ids and thumbprints are replaced whole by
 * `updateOidcProvider` (the service reads, changes and writes them inside a transaction).
 */
export interface OidcProviderStore {
  /**
   * `CreateOpenIDConnectProvider`. Atomically refuses with `StoreLimitError` (quota
   * `oidcProvidersPerAccount`) when the account has `maxPerAccount` (default 100);
   * `StoreConflictError` when the URL (or ARN) exists in the account.
   */
  createOidcProvider(input: OidcProviderRow, options?: { maxPerAccount?: number }): Promise<OidcProviderRow>;
  getOidcProvider(accountId: string, arn: string): Promise<OidcProviderRow | undefined>;
  /** `ListOpenIDConnectProviders`: every provider of the account, by ARN (AWS does not page it). */
  listOidcProviders(accountId: string): Promise<OidcProviderRow[]>;
  /** Replaces the client ids and/or thumbprints; `undefined` if the provider does not exist. */
  updateOidcProvider(accountId: string, arn: string, patch: { clientIds?: string[]; thumbprints?: string[] }): Promise<OidcProviderRow | undefined>;
  /** `DeleteOpenIDConnectProvider` (its tags go with it); `false` if it did not exist. */
  deleteOidcProvider(accountId: string, arn: string): Promise<boolean>;
  /** How many the account has (GetAccountSummary's `Providers`). */
  countOidcProviders(accountId: string): Promise<number>;
}
