/**
 * The signing keys of OpenID Connect issuers, for AssumeRoleWithWebIdentity: the issuer's
 * discovery document (`ISSUER/.well-known/openid-configuration`) names its `jwks_uri`, whose
 * JSON Web Key Set `jose` fetches, caches and refreshes when a token names an unknown key id.
 *
 * - Both fetches time out (default 5 s); an issuer that cannot be reached, answers an error or
 *   something that is not a discovery document or key set is an `IdpUnreachable` failure, which
 *   STS answers as `IDPCommunicationError`, as AWS does.
 * - Discovery documents are cached per issuer (default 1 hour), key sets by `jose` (refetched
 *   after 10 minutes, or on an unknown `kid` at most every 30 s), so a burst of calls costs one fetch.
 * - Each answer is read up to `maxDocumentBytes` (default 1 MiB) and refused beyond it: the issuer
 *   and its `jwks_uri` are whatever an account's administrator registered, and an unbounded body
 *   would let such an issuer fill the server's memory with one token. (AWS takes at most 100 keys
 *   of each type in a key set, far below this.)
 * - TLS is checked against Node's trust store (`NODE_EXTRA_CA_CERTS` adds a private CA).
 *   Plain `http` is refused, except for loopback issuers when `allowHttpLoopback` is set (tests
 *   and local identity providers).
 * - Both fetches go through an {@link IdpNetworkGuard}: loopback, link-local, private and other
 *   internal addresses are refused (as unreachable) unless `network.allow` permits them, checked on
 *   the address each connection is made to.
 *
 * @module
 */
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { IdpNetworkGuard, type IdpNetworkGuardOptions } from './idp-network-guard.js';

/** Why an issuer's keys could not be had. */
export class IdpUnreachable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdpUnreachable';
  }
}

/** What AssumeRoleWithWebIdentity needs: the key resolver of an issuer. */
export interface OidcKeyResolver {
  /** The keys of `issuer` (the token's `iss`, already known to name a provider of the account); throws {@link IdpUnreachable}. */
  keysFor(issuer: string): Promise<JWTVerifyGetKey>;
}

/** Options of {@link OidcKeySets}. */
export interface OidcKeySetsOptions {
  /** Milliseconds each fetch may take. Default is `5000`. */
  timeoutMs?: number;
  /** Milliseconds a discovery document is kept. Default is one hour. */
  discoveryMaxAgeMs?: number;
  /** Accept `http://` issuers and key URLs on loopback addresses. Default is `false`. */
  allowHttpLoopback?: boolean;
  /** The clock of cache ages. Default is `Date.now`. */
  now?: () => number;
  /** Which internal hosts and addresses the default fetch may reach (`allow`), and who hears of refusals. Default refuses them all. */
  network?: IdpNetworkGuardOptions;
  /** The fetch used for both documents (tests), instead of the guarded one {@link network} configures. */
  fetch?: typeof fetch;
  /** The most bytes a discovery document or key set may have. Default is 1 MiB. */
  maxDocumentBytes?: number;
}

/** The default of {@link OidcKeySetsOptions.maxDocumentBytes}. */
export const MAX_IDP_DOCUMENT_BYTES = 1024 * 1024;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for a URL the key resolver may fetch: https, or http on loopback when allowed. */
export function fetchableIssuerUrl(url: URL, allowHttpLoopback: boolean): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && allowHttpLoopback && LOOPBACK_HOSTS.has(url.hostname);
}

/** Implements {@link OidcKeyResolver} over HTTPS with caching. */
export class OidcKeySets implements OidcKeyResolver {
  readonly #discovery = new Map<string, { jwks: JWTVerifyGetKey; fetchedAt: number }>();
  readonly #pending = new Map<string, Promise<JWTVerifyGetKey>>();
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number;
  readonly #allowHttpLoopback: boolean;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;
  readonly #maxBytes: number;

  constructor(options: OidcKeySetsOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#maxAgeMs = options.discoveryMaxAgeMs ?? 3600_000;
    this.#allowHttpLoopback = options.allowHttpLoopback ?? false;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? new IdpNetworkGuard(options.network).fetch;
    this.#maxBytes = options.maxDocumentBytes ?? MAX_IDP_DOCUMENT_BYTES;
  }

  async keysFor(issuer: string): Promise<JWTVerifyGetKey> {
    const cached = this.#discovery.get(issuer);
    if (cached && this.#now() - cached.fetchedAt < this.#maxAgeMs) return cached.jwks;
    // Concurrent first calls for one issuer share one discovery fetch.
    let pending = this.#pending.get(issuer);
    if (!pending) {
      pending = this.#discover(issuer).finally(() => this.#pending.delete(issuer));
      this.#pending.set(issuer, pending);
    }
    return pending;
  }

  async #discover(issuer: string): Promise<JWTVerifyGetKey> {
    const base = issuer.endsWith('/') ? issuer : `${issuer}/`;
    const url = new URL('.well-known/openid-configuration', base);
    if (!fetchableIssuerUrl(url, this.#allowHttpLoopback)) throw new IdpUnreachable(`issuer \`${issuer}\` is not an https URL`);
    let document: unknown;
    try {
      const response = await boundedFetch(this.#fetch, this.#maxBytes, url, { redirect: 'error', signal: AbortSignal.timeout(this.#timeoutMs), headers: { accept: 'application/json' } });
      if (!response.ok) throw new IdpUnreachable(`discovery document of \`${issuer}\` answered HTTP ${response.status}`);
      document = await response.json();
    } catch (err) {
      if (err instanceof IdpUnreachable) throw err;
      throw new IdpUnreachable(`discovery document of \`${issuer}\` could not be fetched`, { cause: err });
    }
    const jwksUri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
    const named = (document as { issuer?: unknown } | null)?.issuer;
    // OpenID Connect Discovery 1.0 §4.3: the document's issuer must be the issuer it was fetched for.
    if (typeof named !== 'string' || named.replace(/\/$/, '') !== issuer.replace(/\/$/, '')) {
      throw new IdpUnreachable(`discovery document of \`${issuer}\` names another issuer`);
    }
    let keysUrl: URL;
    try {
      keysUrl = new URL(String(jwksUri));
    } catch {
      throw new IdpUnreachable(`discovery document of \`${issuer}\` has no valid jwks_uri`);
    }
    if (typeof jwksUri !== 'string' || !fetchableIssuerUrl(keysUrl, this.#allowHttpLoopback)) throw new IdpUnreachable(`jwks_uri of \`${issuer}\` is not an https URL`);
    const fetchImpl = this.#fetch;
    const maxBytes = this.#maxBytes;
    const jwks = createRemoteJWKSet(keysUrl, {
      timeoutDuration: this.#timeoutMs,
      [customFetch]: (u, init) => boundedFetch(fetchImpl, maxBytes, u, init),
    });
    this.#discovery.set(issuer, { jwks, fetchedAt: this.#now() });
    return jwks;
  }
}

/**
 * `fetch`, with the body of a successful answer read whole here, up to `maxBytes` (by
 * `Content-Length` or while streaming): beyond it the answer is {@link IdpUnreachable}. Other answers
 * keep only their status, which is all the callers read of them.
 */
async function boundedFetch(fetchImpl: typeof fetch, maxBytes: number, url: string | URL, init: RequestInit): Promise<Response> {
  const response = await fetchImpl(url, init);
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return new Response(null, { status: response.status });
  }
  const tooLarge = () => new IdpUnreachable(`${String(url)} answered more than ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  for (;;) {
    if (!reader) break;
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new Response(Buffer.concat(chunks), { status: response.status, headers: response.headers });
}
