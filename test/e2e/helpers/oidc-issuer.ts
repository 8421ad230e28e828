/**
 * A small OpenID Connect issuer on loopback for web identity tests: it serves
 * `/.well-known/openid-configuration` and `/jwks.json` over plain HTTP on 127.0.0.1 (Castellan
 * accepts it with `oidcAllowHttpLoopback` and `oidcAllowNetwork: ['127.0.0.1']`) and signs ID tokens with an RS256
 * key made at start.
 */
import { createServer, type Server } from 'node:http';
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload, type CryptoKey } from 'jose';

/** A running issuer. */
export interface TestOidcIssuer {
  /** `http://127.0.0.1:PORT`: the `iss` of its tokens and the URL to register. */
  url: string;
  /** The URL without its scheme, as IAM names the provider (`127.0.0.1:PORT`). */
  host: string;
  /** How many times each path was fetched. */
  fetches: Map<string, number>;
  /** Signs an ID token: `iss` is the issuer, `iat` now and `exp` in an hour unless `claims` says otherwise. */
  /**
   * Signs an ID token: `iss` is the issuer, `iat` now and `exp` in an hour unless `claims` says otherwise.
   * `HS256` uses a shared secret, or with `key: 'public-pem'` the issuer's published public key (the
   * algorithm-confusion attack); `none` sends no signature at all.
   */
  token(claims: JWTPayload, options?: { key?: 'own' | 'foreign' | 'foreign-same-kid' | 'public-pem'; alg?: 'RS256' | 'HS256' | 'none' }): Promise<string>;
  close(): Promise<void>;
}

/** Starts an issuer on a free loopback port. */
export async function startOidcIssuer(): Promise<TestOidcIssuer> {
  const own = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(own.publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const fetches = new Map<string, number>();
  let url = '';
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    fetches.set(path, (fetches.get(path) ?? 0) + 1);
    if (path === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks.json`, id_token_signing_alg_values_supported: ['RS256'], response_types_supported: ['id_token'], subject_types_supported: ['public'] }));
    } else if (path === '/jwks.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('issuer has no port');
  url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    host: `127.0.0.1:${address.port}`,
    fetches,
    async token(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const alg = options.alg ?? 'RS256';
      const which = options.key ?? 'own';
      const kid = which === 'foreign' ? 'other-key' : 'test-key-1';
      if (alg === 'none') {
        const part = (o: object) => base64url.encode(JSON.stringify(o));
        return `${part({ alg: 'none', kid, typ: 'JWT' })}.${part({ iat: now, exp: now + 3600, iss: url, ...claims })}.`;
      }
      const secret = which === 'public-pem' ? await exportSPKI(own.publicKey) : 'a shared secret of thirty-two bytes!';
      const key: CryptoKey | Uint8Array = alg === 'HS256' ? new TextEncoder().encode(secret) : which === 'own' ? own.privateKey : foreign.privateKey;
      return new SignJWT({ iat: now, exp: now + 3600, iss: url, ...claims }).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
