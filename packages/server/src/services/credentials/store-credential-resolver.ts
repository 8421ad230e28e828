/**
 * The pipeline's `CredentialResolver` for long-term access keys kept in the store, and the batched
 * writer of their last use (GetAccessKeyLastUsed) that keeps authentication free of writes.
 *
 * @module
 */
import { rootArn } from '../../domain/arn.js';
import type { Principal } from '../../domain/context.js';
import type { CredentialLookup, CredentialResolver } from '../../domain/ports/credential-resolver.js';
import { LatestUseBuffer } from '../latest-use-buffer.js';
import type { AccessKeyUse, Store } from '../../store/store.js';

/** Settings of {@link StoreCredentialResolver}. */
export interface StoreCredentialResolverOptions {
  /** How long a use may wait in memory before it is written. Default is 2000 ms. */
  flushIntervalMs?: number;
  /** Distinct keys buffered before a write is started early. Default is 10 000. */
  maxBufferedKeys?: number;
  /** Receives failures of background writes (the pipeline never waits for them). */
  onError?: (error: unknown) => void;
}

/**
 * Resolves `AKIA…` (and fixed bootstrap) key ids to their decrypted secret and principal: the
 * account root, or the IAM user owning the key. Inactive keys answer `inactive`; unknown keys, keys
 * of deleted users and any request carrying a session token answer `undefined` (temporary
 * credentials are resolved by the STS services, not here).
 *
 * `recordUse` keeps only the latest use per key in memory and writes the batch with one
 * `recordAccessKeyUse` call every `flushIntervalMs`, and on `flush()`/`close()`.
 *
 * @example
 * ```ts
 * const credentials = new StoreCredentialResolver(store, { onError: (err) => logger.error({ err }) });
 * // … serve requests …
 * await credentials.close(); // writes the uses still buffered
 * ```
 */
export class StoreCredentialResolver implements CredentialResolver {
  readonly #store: Store;
  readonly #uses: LatestUseBuffer<AccessKeyUse>;

  constructor(store: Store, options: StoreCredentialResolverOptions = {}) {
    this.#store = store;
    this.#uses = new LatestUseBuffer<AccessKeyUse>({
      write: (batch) => store.recordAccessKeyUse(batch),
      onError: options.onError ?? (() => {}),
      intervalMs: options.flushIntervalMs ?? 2000,
      maxEntries: options.maxBufferedKeys ?? 10_000,
    });
  }

  async resolve(accessKeyId: string, sessionToken: string | undefined): Promise<CredentialLookup | undefined> {
    if (sessionToken !== undefined) return undefined;
    const key = await this.#store.getAccessKeyWithSecret(accessKeyId);
    if (!key) return undefined;
    if (key.status !== 'Active') return { status: 'inactive', accountId: key.accountId };
    let principal: Principal;
    if (key.owner.kind === 'root') {
      // The alias is read here, once per cached key: an alias change forgets the account's keys.
      const [alias] = await this.#store.listAccountAliases(key.accountId);
      principal = { type: 'Root', accountId: key.accountId, arn: rootArn(key.accountId), principalId: key.accountId, ...(alias ? { accountAlias: alias } : {}), accessKeyId, mfaAuthenticated: false };
    } else {
      const user = await this.#store.getUserById(key.owner.userId);
      if (!user) return undefined;
      principal = { type: 'IAMUser', accountId: key.accountId, arn: user.arn, principalId: user.id, userName: user.name, accessKeyId, mfaAuthenticated: false };
    }
    return { status: 'active', secretAccessKey: key.secretAccessKey, principal };
  }

  recordUse(accessKeyId: string, use: { at: Date; service: string; region: string }): void {
    this.#uses.note(accessKeyId, { accessKeyId, usedAt: use.at, serviceName: use.service, region: use.region });
  }

  /** Writes the buffered uses now (one store call); resolves when they and any earlier write are done. */
  flush(): Promise<void> {
    return this.#uses.flush();
  }

  /** Stops buffering and writes what is left. Idempotent; call before closing the store. */
  close(): Promise<void> {
    return this.#uses.close();
  }
}
