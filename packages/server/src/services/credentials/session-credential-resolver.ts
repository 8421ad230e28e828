/**
 * The `CredentialResolver` of temporary credentials: a request signed with an `ASIA…` key and an
 * `X-Amz-Security-Token` is resolved from the sealed token alone (no store read); every other
 * request is passed to the long-term resolver.
 *
 * @module
 */
import type { CredentialLookup, CredentialResolver } from '../../domain/ports/credential-resolver.js';
import { sessionPrincipal, type SessionTokenCodec } from './session-token-codec.js';

/** AWS's limit on the size of a session token header is generous; tokens larger than this are refused unopened. */
const MAX_TOKEN_CHARS = 16_384;

type ActiveLookup = Extract<CredentialLookup, { status: 'active' }>;

/** An opened token: what it resolves to, and until when. */
interface OpenedSession {
  accessKeyId: string;
  accountId: string;
  expiresAtMs: number;
  lookup: ActiveLookup;
}

/** Settings of {@link SessionCredentialResolver}. */
export interface SessionCredentialResolverOptions {
  /** Opened tokens kept (least recently used go first); 0 turns caching off. Default is 10 000. */
  maxEntries?: number;
  /** Token characters kept in all (tokens with large session policies are long). Default is 8 Mi. */
  maxChars?: number;
  /**
   * The account's alias (CloudTrail's `userName` of root), for sessions root obtained with
   * GetSessionToken: not sealed in the token, as the alias may change while the session lasts.
   * Cached by the caller and forgotten when the alias changes (`AccountAliasCache`).
   */
  accountAlias?: (accountId: string) => Promise<string | undefined>;
}

/**
 * Resolves session tokens; delegates long-term keys to `longTerm`. A token's answer depends on the
 * token and its key id alone (the token is sealed, and the secret derived from the key id), so an
 * opened token is kept, by its text, until it expires or is pushed out: a warm session costs a map
 * lookup instead of an AES-GCM open, a JSON parse and two HMACs. Only tokens that opened are kept,
 * so only tokens this deployment issued can fill the cache. Expiry is checked on every request.
 */
export class SessionCredentialResolver implements CredentialResolver {
  readonly #codec: SessionTokenCodec;
  readonly #longTerm: CredentialResolver;
  readonly #maxEntries: number;
  readonly #maxChars: number;
  readonly #accountAlias: ((accountId: string) => Promise<string | undefined>) | undefined;
  /** By token text, in recency order (oldest first). Tokens are never logged: this map is not either. */
  readonly #opened = new Map<string, OpenedSession>();
  #chars = 0;
  #hits = 0;
  #misses = 0;

  constructor(codec: SessionTokenCodec, longTerm: CredentialResolver, options: SessionCredentialResolverOptions = {}) {
    this.#codec = codec;
    this.#longTerm = longTerm;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#maxChars = options.maxChars ?? 8 * 1024 * 1024;
    this.#accountAlias = options.accountAlias;
  }

  // Not `async`: a long-term key's lookup is passed on as it is, not wrapped in another promise.
  resolve(accessKeyId: string, sessionToken: string | undefined, at?: Date): Promise<CredentialLookup | undefined> {
    if (sessionToken === undefined || !accessKeyId.startsWith('ASIA')) return this.#longTerm.resolve(accessKeyId, sessionToken, at);
    try {
      const found = this.#session(accessKeyId, sessionToken, at);
      if (found?.status === 'active' && found.principal.type === 'Root' && this.#accountAlias) return this.#withAlias(found);
      return Promise.resolve(found);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Root's session with the account's alias on its principal (its own copy), when there is one. */
  async #withAlias(found: ActiveLookup): Promise<CredentialLookup> {
    const alias = await this.#accountAlias!(found.principal.accountId);
    if (alias !== undefined) found.principal.accountAlias = alias;
    return found;
  }

  #session(accessKeyId: string, sessionToken: string, at: Date | undefined): CredentialLookup | undefined {
    if (sessionToken.length > MAX_TOKEN_CHARS) return undefined;
    let opened = this.#opened.get(sessionToken);
    if (opened !== undefined && opened.accessKeyId === accessKeyId) {
      // Most recently used last.
      this.#opened.delete(sessionToken);
      this.#opened.set(sessionToken, opened);
      this.#hits++;
    } else {
      this.#misses++;
      opened = this.#open(accessKeyId, sessionToken);
      if (!opened) return undefined;
    }
    if (at && at.getTime() >= opened.expiresAtMs) {
      this.#forget(sessionToken);
      return { status: 'expired', accountId: opened.accountId };
    }
    // Each request gets its own principal object (its session facts are shared, never modified).
    return { ...opened.lookup, principal: { ...opened.lookup.principal } };
  }

  /** Opened tokens held, and lookups of a session token that found one opened (hits) or opened it (misses). */
  get stats(): { entries: number; hits: number; misses: number } {
    return { entries: this.#opened.size, hits: this.#hits, misses: this.#misses };
  }

  recordUse(accessKeyId: string, use: { at: Date; service: string; region: string }): void {
    // Temporary keys have no row: only long-term keys record their last use.
    if (!accessKeyId.startsWith('ASIA')) this.#longTerm.recordUse?.(accessKeyId, use);
  }

  /** Opens `token` and keeps what it resolves to; undefined when it does not open for `accessKeyId`. */
  #open(accessKeyId: string, token: string): OpenedSession | undefined {
    const claims = this.#codec.open(accessKeyId, token);
    if (!claims) return undefined;
    // AWS: credentials from GetSessionToken without MFA, and federated users' (GetFederationToken), cannot call IAM.
    const noIam = (claims.issuedBy === 'GetSessionToken' && !claims.mfaAuthenticatedAt) || claims.issuedBy === 'GetFederationToken';
    const opened: OpenedSession = {
      accessKeyId,
      accountId: claims.accountId,
      expiresAtMs: claims.expiresAt.getTime(),
      lookup: {
        status: 'active',
        secretAccessKey: this.#codec.secretFor(accessKeyId),
        principal: sessionPrincipal(claims),
        ...(noIam ? { refusedServices: ['iam'] } : {}),
      },
    };
    if (this.#maxEntries > 0 && token.length <= this.#maxChars) {
      this.#forget(token);
      this.#opened.set(token, opened);
      this.#chars += token.length;
      while (this.#opened.size > this.#maxEntries || this.#chars > this.#maxChars) this.#forget(this.#opened.keys().next().value!);
    }
    return opened;
  }

  #forget(token: string): void {
    if (this.#opened.delete(token)) this.#chars -= token.length;
  }
}
