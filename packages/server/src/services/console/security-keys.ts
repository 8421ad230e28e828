/**
 * Security keys (FIDO2/WebAuthn, `@simplewebauthn/server`) as MFA devices of IAM users, as AWS
 * offers them: registration by the signed-in user (options, then the authenticator's answer),
 * and the key as the second factor at sign-in. The relying party id is the host the console is
 * served from and the origin the page's. Challenges are stateless (`ConsoleSessionCodec.challenge`,
 * bound to the sign-in or the session and expiring); an answered one is remembered in the store
 * until it expires, and the key's signature counter only moves forward, so an assertion cannot be
 * replayed on any node.
 *
 * @module
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Ids } from '../../domain/context.js';
import { EntityAlreadyExistsError, LimitExceededError } from '../../domain/errors.js';
import type { IamQuotas } from '../../domain/quotas.js';
import { StoreConflictError } from '../../store/store-errors.js';
import type { ConsoleGuardStore, SecurityKeyRow, SecurityKeyStore, Store, UserRow } from '../../store/store.js';
import type { ConsoleSessionCodec } from './console-session-codec.js';

/** How long the user has to touch the key. */
export const WEBAUTHN_TIMEOUT_MS = 5 * 60_000;

/** Where the ceremony happens: the relying party id (host name) and the page's origin. */
export interface WebAuthnSite {
  rpId: string;
  origin: string;
}

/** The serial number AWS gives a security key: `arn:aws:iam::ACCOUNT:u2f/user/NAME/ID`. */
export function securityKeySerialNumber(accountId: string, userName: string, deviceId: string): string {
  return `arn:aws:iam::${accountId}:u2f/user/${userName}/${deviceId}`;
}

/** What a sign-in challenge is bound to. */
const signInPurpose = (accountId: string, userId: string) => `signin\u0000${accountId}\u0000${userId}`;
/** What a registration challenge is bound to. */
const registrationPurpose = (sessionId: string) => `register\u0000${sessionId}`;

/** A fresh challenge bound to `purpose`, expiring when the user's time to touch the key runs out. */
function newChallenge(deps: { codec: ConsoleSessionCodec; ids: Ids }, purpose: string, now: Date): string {
  return deps.codec.challenge(purpose, deps.ids.randomBytes(16), new Date(now.getTime() + WEBAUTHN_TIMEOUT_MS));
}

/** The keys as WebAuthn credential descriptors (to allow at sign-in, or to exclude at registration). */
function credentialDescriptors(keys: readonly SecurityKeyRow[]): Array<{ id: string; transports: AuthenticatorTransportFuture[] }> {
  return keys.map((k) => ({ id: k.credentialId, transports: k.transports as AuthenticatorTransportFuture[] }));
}

/** True when the browser's answer has at least the shape of a credential response (an object with an id). */
function looksLikeCredentialResponse(response: unknown): response is { id: string } {
  return !!response && typeof response === 'object' && typeof (response as { id?: unknown }).id === 'string';
}

/** A challenge the authenticator answered, until it expires. */
interface AnsweredChallenge {
  challenge: string;
  expiresAt: Date;
}

/**
 * The `expectedChallenge` check of a ceremony: accepts a challenge this server made for `purpose`
 * that has not expired, and remembers it in `answered` so it can be marked used once verified.
 */
function challengeCheck(codec: ConsoleSessionCodec, purpose: string, now: Date): { answered?: AnsweredChallenge; expect(c: string): boolean } {
  const check: { answered?: AnsweredChallenge; expect(c: string): boolean } = {
    expect: (c) => {
      const challenge = Buffer.from(c, 'base64url').toString('utf8');
      const expiresAt = codec.challengeExpiry(challenge, purpose, now);
      if (expiresAt) check.answered = { challenge, expiresAt };
      return expiresAt !== undefined;
    },
  };
  return check;
}

/** Marks an answered challenge used, on every node; false when it was already answered. */
function useChallengeOnce(store: Pick<ConsoleGuardStore, 'markConsoleGuardOnce'>, answered: AnsweredChallenge, now: Date): Promise<boolean> {
  return store.markConsoleGuardOnce('challenge', answered.challenge, now, answered.expiresAt);
}

/** The options the browser passes to `navigator.credentials.get` for a user whose MFA is a security key. */
export async function signInOptions(
  deps: { codec: ConsoleSessionCodec; ids: Ids },
  input: { accountId: string; userId: string; keys: readonly SecurityKeyRow[]; site: WebAuthnSite; now: Date },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: input.site.rpId,
    challenge: newChallenge(deps, signInPurpose(input.accountId, input.userId), input.now),
    timeout: WEBAUTHN_TIMEOUT_MS,
    // A second factor: touching the key is enough, as with AWS's U2F keys.
    userVerification: 'discouraged',
    allowCredentials: credentialDescriptors(input.keys),
  });
}

/**
 * Checks a sign-in assertion against the user's keys: the challenge is one this server made for
 * this user and not yet answered, the signature verifies under the key's public key for this site,
 * and the counter moved forward (stored in one conditional write). Returns the key used, or undefined.
 */
export async function verifySignInAssertion(
  deps: { codec: ConsoleSessionCodec; store: Pick<ConsoleGuardStore & SecurityKeyStore, 'markConsoleGuardOnce' | 'useSecurityKey'> },
  input: { accountId: string; userId: string; keys: readonly SecurityKeyRow[]; response: unknown; site: WebAuthnSite; now: Date },
): Promise<SecurityKeyRow | undefined> {
  if (!looksLikeCredentialResponse(input.response)) return undefined;
  const response = input.response as AuthenticationResponseJSON;
  const key = input.keys.find((k) => k.credentialId === response.id);
  if (!key) return undefined;
  const check = challengeCheck(deps.codec, signInPurpose(input.accountId, input.userId), input.now);
  let answered: AnsweredChallenge;
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: check.expect,
      expectedOrigin: input.site.origin,
      expectedRPID: input.site.rpId,
      credential: { id: key.credentialId, publicKey: Buffer.from(key.publicKey, 'base64url'), counter: key.counter, transports: key.transports as AuthenticatorTransportFuture[] },
      requireUserVerification: false,
    });
    if (!result.verified || !check.answered) return undefined;
    answered = check.answered;
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    // A malformed answer, a bad signature or a counter that went backwards.
    return undefined;
  }
  if (!(await useChallengeOnce(deps.store, answered, input.now))) return undefined;
  if (!(await deps.store.useSecurityKey(key.serialNumber, { previous: key.counter, counter: newCounter, usedAt: input.now }))) return undefined;
  return key;
}

/** The options the browser passes to `navigator.credentials.create` to register a key for the signed-in user. */
export async function registrationOptions(
  deps: { codec: ConsoleSessionCodec; ids: Ids },
  input: { sessionId: string; accountId: string; userId: string; userName: string; accountLabel: string; keys: readonly SecurityKeyRow[]; site: WebAuthnSite; now: Date },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: `Castellan (${input.accountLabel})`,
    rpID: input.site.rpId,
    userName: input.userName,
    userID: Buffer.from(input.userId),
    challenge: newChallenge(deps, registrationPurpose(input.sessionId), input.now),
    timeout: WEBAUTHN_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: credentialDescriptors(input.keys),
    authenticatorSelection: { residentKey: 'discouraged', userVerification: 'discouraged' },
  });
}

/** A verified registration: what is stored for the new key. */
export interface RegisteredKey {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
}

/**
 * Checks the authenticator's answer to {@link registrationOptions}: the challenge was made for this
 * session and not yet answered, for this site. Returns the key to store, or undefined.
 */
export async function verifyRegistration(
  deps: { codec: ConsoleSessionCodec; store: Pick<ConsoleGuardStore, 'markConsoleGuardOnce'> },
  input: { sessionId: string; response: unknown; site: WebAuthnSite; now: Date },
): Promise<RegisteredKey | undefined> {
  if (!looksLikeCredentialResponse(input.response)) return undefined;
  const response = input.response as RegistrationResponseJSON;
  const check = challengeCheck(deps.codec, registrationPurpose(input.sessionId), input.now);
  let answered: AnsweredChallenge;
  let key: RegisteredKey;
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: check.expect,
      expectedOrigin: input.site.origin,
      expectedRPID: input.site.rpId,
      requireUserVerification: false,
    });
    if (!result.verified || !result.registrationInfo || !check.answered) return undefined;
    answered = check.answered;
    const { credential } = result.registrationInfo;
    key = { credentialId: credential.id, publicKey: Buffer.from(credential.publicKey).toString('base64url'), counter: credential.counter, transports: credential.transports ?? response.response.transports ?? [] };
  } catch {
    return undefined;
  }
  if (!(await useChallengeOnce(deps.store, answered, input.now))) return undefined;
  return key;
}

/**
 * Enables a verified key for the user, as AWS enables a security key: `EntityAlreadyExists` when
 * the authenticator is already registered, `LimitExceeded` past the MFA devices per user (8 on AWS) (virtual
 * devices and keys together). Returns the key's serial number.
 */
export async function enableSecurityKey(
  deps: { store: Store; ids: Ids; quotas: Pick<IamQuotas, 'mfaDevicesPerUser'> },
  input: { accountId: string; user: UserRow; deviceName: string; key: RegisteredKey; now: Date },
): Promise<string> {
  const { store } = deps;
  const owner = { kind: 'user' as const, userId: input.user.id };
  const max = deps.quotas.mfaDevicesPerUser;
  const virtual = await store.listMfaDevices({ accountId: input.accountId, owner, maxItems: max });
  const keys = await store.listSecurityKeys(input.user.id);
  if (virtual.items.length + keys.length >= max) {
    throw new LimitExceededError(`Cannot exceed quota for MFADevicesPerUser: ${max}`);
  }
  const deviceId = Buffer.from(deps.ids.randomBytes(16)).toString('hex').toUpperCase();
  const serialNumber = securityKeySerialNumber(input.accountId, input.user.name, deviceId);
  try {
    await store.createSecurityKey({ accountId: input.accountId, serialNumber, userId: input.user.id, name: input.deviceName, ...input.key, enableDate: input.now });
  } catch (err) {
    if (err instanceof StoreConflictError) throw new EntityAlreadyExistsError('MFA Device is already in use.');
    throw err;
  }
  return serialNumber;
}
