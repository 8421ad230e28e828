/**
 * Console sessions as sealed cookies, like the STS session tokens: the session's facts sealed with
 * AES-256-GCM under a key derived from the master key, so checking one needs no database round trip.
 * The CSRF token is an HMAC of the session's random id under a second derived key: a page that
 * can read the sign-in answer can echo it, a cross-site form cannot.
 *
 * @module
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { SecretBox, SecretBoxError } from '../../crypto/secret-box.js';

/** The cookie's name over plain http (localhost development), and the label its sealed value is bound to. */
export const CONSOLE_SESSION_COOKIE = 'castellan-console';
/**
 * The cookie's name over TLS. Browsers take a `__Host-` cookie only when it is `Secure`, has
 * `Path=/` and no `Domain`, from a secure origin: a sibling subdomain or a plain-http page (an
 * active network attacker's) cannot set or overwrite it, so it cannot plant a session of its own.
 */
export const CONSOLE_SESSION_COOKIE_TLS = `__Host-${CONSOLE_SESSION_COOKIE}`;

/** The session cookie's one name for a transport: only that name is set, and only that name is read. */
export function consoleSessionCookieName(secureTransport: boolean): string {
  return secureTransport ? CONSOLE_SESSION_COOKIE_TLS : CONSOLE_SESSION_COOKIE;
}

/**
 * The `Set-Cookie` value carrying `value` (or clearing the cookie, with `maxAgeSeconds` 0): over
 * TLS the `__Host-` name, `Secure`, `Path=/` and no `Domain`, as that prefix requires.
 */
export function consoleSessionSetCookie(secureTransport: boolean, value: string, maxAgeSeconds: number): string {
  return `${consoleSessionCookieName(secureTransport)}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secureTransport ? '; Secure' : ''}`;
}
/** The header later requests echo the CSRF token in. */
export const CONSOLE_CSRF_HEADER = 'x-castellan-csrf';

const PAYLOAD_VERSION = 1;

/** What a console session carries. */
export interface ConsoleSession {
  /** Random, base64url: the CSRF token and sign-out are bound to it. */
  sessionId: string;
  accountId: string;
  userId: string;
  userName: string;
  arn: string;
  issuedAt: Date;
  expiresAt: Date;
  /** When the MFA code was checked at sign-in; absent without MFA. */
  mfaAuthenticatedAt?: Date;
}

interface Payload {
  v: number;
  sid: string;
  a: string;
  uid: string;
  un: string;
  arn: string;
  iat: number;
  exp: number;
  mfa?: number;
}

export class ConsoleSessionCodec {
  readonly #box: SecretBox;
  readonly #csrfKey: Buffer;
  readonly #challengeKey: Buffer;
  readonly #guardNameKey: Buffer;

  constructor(masterKey: Uint8Array) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, 'castellan', info, 32));
    this.#box = new SecretBox(derive('console/session/v1'));
    this.#csrfKey = derive('console/csrf/v1');
    this.#challengeKey = derive('console/webauthn-challenge/v1');
    this.#guardNameKey = derive('console/sign-in-name/v1');
  }

  /**
   * What the sign-in throttle keeps for a name that is no user: a keyed hash, the same for the same
   * name on every node, so the name (perhaps a password typed in the wrong box) is never stored.
   */
  guardName(name: string): string {
    return createHmac('sha256', this.#guardNameKey).update(name).digest('base64url');
  }

  seal(s: ConsoleSession): string {
    const payload: Payload = {
      v: PAYLOAD_VERSION, sid: s.sessionId, a: s.accountId, uid: s.userId, un: s.userName, arn: s.arn,
      iat: s.issuedAt.getTime(), exp: s.expiresAt.getTime(),
      ...(s.mfaAuthenticatedAt ? { mfa: s.mfaAuthenticatedAt.getTime() } : {}),
    };
    return this.#box.seal(JSON.stringify(payload), CONSOLE_SESSION_COOKIE);
  }

  /** The session in a cookie value, or undefined when it is malformed, altered or sealed under another key. Expiry is the caller's check. */
  open(sealed: string): ConsoleSession | undefined {
    let p: Payload;
    try {
      p = JSON.parse(this.#box.open(sealed, CONSOLE_SESSION_COOKIE)) as Payload;
    } catch (err) {
      if (err instanceof SecretBoxError || err instanceof SyntaxError) return undefined;
      throw err;
    }
    if (p.v !== PAYLOAD_VERSION) return undefined;
    return {
      sessionId: p.sid, accountId: p.a, userId: p.uid, userName: p.un, arn: p.arn,
      issuedAt: new Date(p.iat), expiresAt: new Date(p.exp),
      ...(p.mfa !== undefined ? { mfaAuthenticatedAt: new Date(p.mfa) } : {}),
    };
  }

  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.#csrfKey).update(sessionId).digest('base64url');
  }

  /**
   * A WebAuthn challenge bound to `purpose` (who signs in, or which session registers) and valid
   * until `expiresAt`: `EXPIRY.NONCE.MAC`. Any node holding the master key can check it, so the
   * challenge needs no storage until it is answered (answered ones are remembered, see `ConsoleGuardStore`).
   */
  challenge(purpose: string, nonce: Uint8Array, expiresAt: Date): string {
    const body = `${expiresAt.getTime()}.${Buffer.from(nonce).toString('base64url')}`;
    return `${body}.${this.#challengeMac(purpose, body)}`;
  }

  /** When `challenge` was made by {@link challenge} for `purpose` and has not expired at `now`, its expiry; else undefined. */
  challengeExpiry(challenge: string, purpose: string, now: Date): Date | undefined {
    const parts = challenge.split('.');
    if (parts.length !== 3) return undefined;
    const body = `${parts[0]}.${parts[1]}`;
    const expected = Buffer.from(this.#challengeMac(purpose, body));
    const given = Buffer.from(parts[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const expiresAt = Number(parts[0]);
    return Number.isSafeInteger(expiresAt) && expiresAt > now.getTime() ? new Date(expiresAt) : undefined;
  }

  #challengeMac(purpose: string, body: string): string {
    return createHmac('sha256', this.#challengeKey).update(purpose).update('\u0000').update(body).digest('base64url');
  }

  csrfMatches(sessionId: string, presented: string | undefined): boolean {
    if (!presented) return false;
    const expected = Buffer.from(this.csrfToken(sessionId));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** The value of one cookie in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
