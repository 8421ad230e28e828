/**
 * Temporary credentials as sealed, self-contained session tokens: verifying one needs no database
 * round trip, and every node holding the same master key verifies what any node issued.
 *
 * - The token is the session's facts (principal, issuer, session name, policies, tags, source
 *   identity, MFA, issue time, expiry) as JSON, sealed with AES-256-GCM (`SecretBox`) under a key
 *   derived from the master key with HKDF, the access key id bound as additional authenticated
 *   data: an altered token, or one presented with another key id, does not open.
 * - The secret access key is not in the token: it is an HMAC of the access key id under a second
 *   derived key, so the token never carries a secret and the server stores none.
 *
 * @module
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { SecretBox } from '../../crypto/secret-box.js';
import type { Principal, PrincipalType, SessionIssuingCall } from '../../domain/context.js';

/** Format of the sealed payload: bump when its fields change meaning. */
const PAYLOAD_VERSION = 1;
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 5 bytes as 8 base32 characters. */
function base32(bytes: Buffer): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  for (let i = 7; i >= 0; i--) out += BASE32[Number((n >> BigInt(5 * i)) & 31n)];
  return out;
}

/** 8 base32 characters as 5 bytes. */
function fromBase32(text: string): Buffer {
  let n = 0n;
  for (const c of text) n = (n << 5n) | BigInt(BASE32.indexOf(c));
  const out = Buffer.alloc(5);
  for (let i = 4; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** What a session token carries: everything authorization needs about the session. */
export interface SessionClaims {
  accessKeyId: string;
  type: Extract<PrincipalType, 'AssumedRole' | 'FederatedUser' | 'IAMUser' | 'Root'>;
  accountId: string;
  arn: string;
  principalId: string;
  userName?: string;
  issuedBy: SessionIssuingCall;
  issuer: { type: 'Role' | 'IAMUser' | 'Root'; id: string; arn: string; name: string };
  sessionName?: string;
  issuedAt: Date;
  expiresAt: Date;
  /** When MFA was presented to obtain the session. */
  mfaAuthenticatedAt?: Date;
  policies?: string[];
  policyArns?: string[];
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
  /** The identity provider of a session from AssumeRoleWithWebIdentity/SAML (its ARN). */
  federatedProvider?: string;
}

/** The sealed JSON form (short member names keep tokens small). */
interface Payload {
  v: number;
  t: SessionClaims['type'];
  a: string;
  arn: string;
  pid: string;
  un?: string;
  by: SessionIssuingCall;
  i: [SessionClaims['issuer']['type'], string, string, string];
  sn?: string;
  iat: number;
  exp: number;
  mfa?: number;
  p?: string[];
  pa?: string[];
  tg?: Record<string, string>;
  tt?: string[];
  si?: string;
  fp?: string;
}

/** Seals and opens session tokens, and derives the secret of a temporary access key id. */
export class SessionTokenCodec {
  readonly #box: SecretBox;
  readonly #secretKey: Buffer;

  /** `masterKey` is the deployment's 32-byte master key; the codec uses keys derived from it only. */
  constructor(masterKey: Uint8Array) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, 'castellan', info, 32));
    this.#box = new SecretBox(derive('sts/session-token/v1'));
    this.#secretKey = derive('sts/session-secret/v1');
  }

  /**
   * A new `ASIA…` key id that carries its account, as AWS's key ids do (GetAccessKeyInfo reads it
   * back without a lookup): 5 random bytes, and the 12-digit account (< 2^40) masked with an HMAC
   * of them, each written as 8 base32 characters.
   */
  newAccessKeyId(accountId: string, random5: Uint8Array): string {
    const r = Buffer.from(random5.subarray(0, 5));
    const mask = createHmac('sha256', this.#secretKey).update('account').update(r).digest();
    const account = BigInt(accountId);
    const masked = Buffer.alloc(5);
    for (let i = 0; i < 5; i++) masked[i] = Number((account >> BigInt(8 * (4 - i))) & 0xffn) ^ mask[i]!;
    return `ASIA${base32(masked)}${base32(r)}`;
  }

  /** The account an `ASIA…` key id from {@link newAccessKeyId} carries; undefined when it is not of that form. */
  accountOfAccessKeyId(accessKeyId: string): string | undefined {
    if (!/^ASIA[A-Z2-7]{16}$/.test(accessKeyId)) return undefined;
    const masked = fromBase32(accessKeyId.slice(4, 12));
    const r = fromBase32(accessKeyId.slice(12, 20));
    const mask = createHmac('sha256', this.#secretKey).update('account').update(r).digest();
    let account = 0n;
    for (let i = 0; i < 5; i++) account = (account << 8n) | BigInt(masked[i]! ^ mask[i]!);
    return account < 10n ** 12n ? account.toString().padStart(12, '0') : undefined;
  }

  /** The secret access key of a temporary access key id: 40 base64 characters. */
  secretFor(accessKeyId: string): string {
    const mac = createHmac('sha256', this.#secretKey).update(accessKeyId).digest();
    const bytes = Buffer.concat([mac, createHmac('sha256', this.#secretKey).update(mac).digest()]);
    let out = '';
    for (let i = 0; i < 40; i++) out += SECRET_ALPHABET[bytes[i]! % 64];
    return out;
  }

  seal(claims: SessionClaims): string {
    const payload: Payload = {
      v: PAYLOAD_VERSION,
      t: claims.type,
      a: claims.accountId,
      arn: claims.arn,
      pid: claims.principalId,
      ...(claims.userName !== undefined ? { un: claims.userName } : {}),
      by: claims.issuedBy,
      i: [claims.issuer.type, claims.issuer.id, claims.issuer.arn, claims.issuer.name],
      ...(claims.sessionName !== undefined ? { sn: claims.sessionName } : {}),
      iat: claims.issuedAt.getTime(),
      exp: claims.expiresAt.getTime(),
      ...(claims.mfaAuthenticatedAt ? { mfa: claims.mfaAuthenticatedAt.getTime() } : {}),
      ...(claims.policies?.length ? { p: claims.policies } : {}),
      ...(claims.policyArns?.length ? { pa: claims.policyArns } : {}),
      ...(claims.tags && Object.keys(claims.tags).length > 0 ? { tg: claims.tags } : {}),
      ...(claims.transitiveTagKeys?.length ? { tt: claims.transitiveTagKeys } : {}),
      ...(claims.sourceIdentity !== undefined ? { si: claims.sourceIdentity } : {}),
      ...(claims.federatedProvider !== undefined ? { fp: claims.federatedProvider } : {}),
    };
    return this.#box.seal(JSON.stringify(payload), claims.accessKeyId);
  }

  /** The claims of `token` presented with `accessKeyId`; undefined when it is malformed, altered, foreign or for another key. */
  open(accessKeyId: string, token: string): SessionClaims | undefined {
    let p: Payload;
    try {
      p = JSON.parse(this.#box.open(token, accessKeyId)) as Payload;
    } catch {
      return undefined;
    }
    if (p.v !== PAYLOAD_VERSION) return undefined;
    return {
      accessKeyId,
      type: p.t,
      accountId: p.a,
      arn: p.arn,
      principalId: p.pid,
      ...(p.un !== undefined ? { userName: p.un } : {}),
      issuedBy: p.by,
      issuer: { type: p.i[0], id: p.i[1], arn: p.i[2], name: p.i[3] },
      ...(p.sn !== undefined ? { sessionName: p.sn } : {}),
      issuedAt: new Date(p.iat),
      expiresAt: new Date(p.exp),
      ...(p.mfa !== undefined ? { mfaAuthenticatedAt: new Date(p.mfa) } : {}),
      ...(p.p ? { policies: p.p } : {}),
      ...(p.pa ? { policyArns: p.pa } : {}),
      ...(p.tg ? { tags: p.tg } : {}),
      ...(p.tt ? { transitiveTagKeys: p.tt } : {}),
      ...(p.si !== undefined ? { sourceIdentity: p.si } : {}),
      ...(p.fp !== undefined ? { federatedProvider: p.fp } : {}),
    };
  }
}

/** The principal a session's claims stand for. */
export function sessionPrincipal(c: SessionClaims): Principal {
  const mfa = c.mfaAuthenticatedAt !== undefined;
  return {
    type: c.type,
    accountId: c.accountId,
    arn: c.arn,
    principalId: c.principalId,
    ...(c.userName !== undefined ? { userName: c.userName } : {}),
    accessKeyId: c.accessKeyId,
    mfaAuthenticated: mfa,
    session: {
      issuerArn: c.issuer.arn,
      issuerType: c.issuer.type,
      issuerName: c.issuer.name,
      issuerPrincipalId: c.issuer.id,
      ...(c.sessionName !== undefined ? { sessionName: c.sessionName } : {}),
      createdAt: c.issuedAt,
      expiresAt: c.expiresAt,
      mfaAuthenticated: mfa,
      ...(c.mfaAuthenticatedAt !== undefined ? { mfaAuthenticatedAt: c.mfaAuthenticatedAt } : {}),
      issuedBy: c.issuedBy,
      ...(c.policies ? { policies: c.policies } : {}),
      ...(c.policyArns ? { policyArns: c.policyArns } : {}),
      ...(c.tags ? { tags: c.tags } : {}),
      ...(c.transitiveTagKeys ? { transitiveTagKeys: c.transitiveTagKeys } : {}),
      ...(c.sourceIdentity !== undefined ? { sourceIdentity: c.sourceIdentity } : {}),
      ...(c.federatedProvider !== undefined ? { federatedProvider: c.federatedProvider } : {}),
    },
  };
}
