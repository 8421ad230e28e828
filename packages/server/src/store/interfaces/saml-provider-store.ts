/** An IAM SAML provider. Its ARN (`arn:aws:iam::ACCOUNT:saml-provider/NAME`) is its id. */
export interface SamlProviderRow {
  accountId: string;
  arn: string;
  name: string;
  /** The IdP's metadata document, as uploaded (validated by the service). */
  metadataDocument: string;
  createDate: Date;
  /** The metadata's `validUntil`, when it has one. */
  validUntil?: Date;
}

/**
 * IAM SAML providers, one per name per account, and the SAML assertions already used to obtain
 * credentials (AssumeRoleWithSAML refuses a replayed assertion on every node).
 */
export interface SamlProviderStore {
  /**
   * `CreateSAMLProvider`. Atomically refuses with `StoreLimitError` (quota `samlProvidersPerAccount`)
   * when the account has `maxPerAccount` (default 100); `StoreConflictError` when the name exists.
   */
  createSamlProvider(input: SamlProviderRow, options?: { maxPerAccount?: number }): Promise<SamlProviderRow>;
  getSamlProvider(accountId: string, arn: string): Promise<SamlProviderRow | undefined>;
  /** `ListSAMLProviders`: every provider of the account, by ARN (AWS does not page it). */
  listSamlProviders(accountId: string): Promise<SamlProviderRow[]>;
  /** `UpdateSAMLProvider`: a new metadata document; `undefined` if the provider does not exist. */
  updateSamlProvider(accountId: string, arn: string, patch: { metadataDocument: string; validUntil?: Date | undefined }): Promise<SamlProviderRow | undefined>;
  /** `DeleteSAMLProvider` (its tags go with it); `false` if it did not exist. */
  deleteSamlProvider(accountId: string, arn: string): Promise<boolean>;
  countSamlProviders(accountId: string): Promise<number>;
  /**
   * Records that the assertion `key` (its provider and id) was used, to be remembered until
   * `expiresAt`. Returns `false` when it was already recorded and has not expired: a replay.
   * Implementations MUST decide with one conditional write (a unique key), never a read then a
   * write, so two nodes presenting the same assertion at once yield one `true` and one `false`.
   * Expired entries are forgotten (they may be removed by the same call).
   */
  consumeSamlAssertion(key: string, expiresAt: Date, now: Date): Promise<boolean>;
  /**
   * Whether the assertion `key` is recorded and not expired at `now`: a read that writes nothing.
   * Only a fast refusal before the costly signature check; {@link consumeSamlAssertion} still decides.
   */
  samlAssertionUsed(key: string, now: Date): Promise<boolean>;
}
