/**
 * AssumeRoleWithWebIdentity's proof: an OpenID Connect ID token (a JWT) issued by a provider the
 * role's account registered with CreateOpenIDConnectProvider. Verified as AWS documents:
 * - the token's `iss` names an IAM OIDC provider of the role's account (`No OpenIDConnect provider
 *   found in your account for ISSUER`), and one of its `aud` values is among the provider's client
 *   ids (`Incorrect token audience`);
 * - its signature verifies with a key of the issuer's JSON Web Key Set, found through the issuer's
 *   discovery document (`OidcKeyResolver`: cached, with a timeout; an unreachable issuer is
 *   `IDPCommunicationError`), with an asymmetric algorithm;
 * - `exp` has not passed by more than the five minutes of clock skew IAM allows
 *   (`ExpiredTokenException`), `nbf` (when present) is in the past, `iss` matches.
 * The caller is then the provider's user (`WebIdentityUser`), and the claims become the trust
 * policy's condition keys `HOST/PATH:aud`, `:sub`, `:amr` and `aws:FederatedProvider`. A claim
 * those keys (or the session's tags and source identity) are taken from must have the type RFC 7519
 * and OpenID Connect give it, or the token is refused (`InvalidIdentityToken`): it is never
 * converted, so `"sub": ["a", "b"]` cannot pass as the subject `a,b`.
 *
 * @module
 */
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { parseIamResourceArn } from '../../domain/arn.js';
import type { FederatedIdentity, Principal } from '../../domain/context.js';
import { IdentityTokenExpiredError, IdpCommunicationError, InvalidIdentityTokenError, ValidationError } from '../../domain/errors.js';
import type { Authentication } from '../../domain/ports/authenticator.js';
import { IdpUnreachable, fetchableIssuerUrl } from '../credentials/oidc-key-sets.js';
import type { ServiceDeps } from '../service-deps.js';
import { oidcProviderArn } from '../iam/oidc-providers.js';

/** What verifying identity tokens needs besides the store. */
export type WebIdentityDeps = Pick<ServiceDeps, 'store' | 'federation'>;

/** The algorithms a web identity token may be signed with: asymmetric only, as the keys are public. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** AWS's texts. */
const NOT_A_JWT = 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)';
const NOT_YET_VALID = 'The web identity token is not valid yet (nbf is in the future).';
const NO_KEY = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

/** The claim AWS reads a source identity from, and the one it reads session tags from. */
const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';
const TAGS_CLAIM = 'https://aws.amazon.com/tags';

/** The account of the role a federation call names; a RoleArn that is no role's ARN is refused. */
export function roleAccountOf(roleArn: string): string {
  const parsed = parseIamResourceArn(roleArn);
  if (!parsed || parsed.type !== 'role') throw new ValidationError(`1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must be the ARN of an IAM role`);
  return parsed.accountId;
}

/**
 * The issuer as IAM names its provider: without the scheme, and otherwise exactly as written, so a
 * final slash counts (`https://tenant.auth0.com/` is the provider `tenant.auth0.com/`), as on AWS.
 */
export function issuerProviderUrl(iss: string): string {
  return iss.replace(/^https?:\/\//i, '');
}

/** IAM accepts an ID token up to five minutes after its `exp`, for clock skew (IAM User Guide, "OIDC federation"). */
export const EXP_CLOCK_SKEW_SECONDS = 300;

/** Verifies `token` for a role of `roleArn`'s account and answers the caller it proves. */
export async function authenticateWebIdentity(deps: WebIdentityDeps, input: { roleArn: string; webIdentityToken: string }, now: Date): Promise<Authentication> {
  const accountId = roleAccountOf(input.roleArn);
  let claims: JWTPayload;
  try {
    decodeProtectedHeader(input.webIdentityToken);
    claims = decodeJwt(input.webIdentityToken);
  } catch {
    throw new InvalidIdentityTokenError(NOT_A_JWT);
  }
  const iss = claims.iss;
  if (typeof iss !== 'string' || iss === '') throw new InvalidIdentityTokenError('The web identity token has no issuer (iss).');
  const noProvider = new InvalidIdentityTokenError(`No OpenIDConnect provider found in your account for ${iss}`);
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(iss);
  } catch {
    throw noProvider;
  }
  const federation = deps.federation;
  if (!federation || !fetchableIssuerUrl(issuerUrl, federation.allowHttpLoopbackIssuers)) throw noProvider;
  const url = issuerProviderUrl(iss);
  const providerArn = oidcProviderArn(accountId, url);
  const provider = await deps.store.getOidcProvider(accountId, providerArn);
  if (!provider) throw noProvider;
  // RFC 7519 4.1.3: a StringOrURI, or an array of them.
  const audiences = stringOrStrings(claims.aud, 'aud') ?? [];
  const audience = audiences.find((a) => provider.clientIds.includes(a));
  if (audience === undefined) throw new InvalidIdentityTokenError('Incorrect token audience');

  let keys;
  try {
    keys = await federation.oidcKeys.keysFor(iss);
  } catch (err) {
    throw new IdpCommunicationError(NO_KEY, { cause: err });
  }
  try {
    await jwtVerify(input.webIdentityToken, keys, { issuer: iss, currentDate: now, clockTolerance: EXP_CLOCK_SKEW_SECONDS, algorithms: ALGORITHMS, requiredClaims: ['exp', 'sub'] });
  } catch (err) {
    throw verificationError(err, now);
  }
  // The skew is allowed after `exp` only: a token is not taken before its `nbf`.
  if (typeof claims.nbf === 'number' && claims.nbf > now.getTime() / 1000) throw new InvalidIdentityTokenError(NOT_YET_VALID);
  // RFC 7519 4.1.2: a StringOrURI (its presence was required above).
  const sub = claims.sub;
  if (typeof sub !== 'string') throw invalidClaim('sub');
  const conditionKeys: FederatedIdentity['conditionKeys'] = {
    [`${url}:aud`]: audience,
    [`${url}:sub`]: sub,
    'aws:FederatedProvider': providerArn,
  };
  // OpenID Connect Core 2: a JSON array of strings (a single string is taken too).
  const amr = stringOrStrings(claims['amr'], 'amr');
  if (amr !== undefined) conditionKeys[`${url}:amr`] = typeof claims['amr'] === 'string' ? amr[0]! : amr;
  const session = sessionClaims(claims);
  const principal: Principal = {
    type: 'WebIdentityUser',
    accountId,
    arn: providerArn,
    principalId: `${url}:${audience}:${sub}`,
    userName: sub,
    mfaAuthenticated: false,
    federation: {
      kind: 'WebIdentity',
      providerArn,
      identityProvider: url,
      subject: sub,
      audience,
      issuer: iss,
      conditionKeys,
      ...(session ? { session } : {}),
    },
  };
  return { principal, facts: { method: 'identity-token', temporaryCredentials: false } };
}

/** A claim missing where required, or not of its type: the message jose's own claim checks get. */
function invalidClaim(name: string): InvalidIdentityTokenError {
  return new InvalidIdentityTokenError(`The web identity token's ${name} claim is missing or invalid.`);
}

/** A claim that is a string or an array of strings, as an array; undefined when absent; refused otherwise. */
function stringOrStrings(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw invalidClaim(name);
}

/** AWS's error for a token that does not verify. */
function verificationError(err: unknown, now: Date): Error {
  if (err instanceof joseErrors.JWTExpired) {
    const exp = typeof err.payload.exp === 'number' ? err.payload.exp : 0;
    return new IdentityTokenExpiredError(`Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time ${exp}`);
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return new InvalidIdentityTokenError(NOT_YET_VALID);
    if (err.claim === 'iss') return new InvalidIdentityTokenError('The web identity token\'s issuer does not match its provider.');
    return new InvalidIdentityTokenError(`The web identity token's ${err.claim} claim is missing or invalid.`);
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey) return new InvalidIdentityTokenError(NO_KEY);
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return new InvalidIdentityTokenError('The web identity token\'s signature is not valid.');
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return new InvalidIdentityTokenError('The web identity token is not signed with an asymmetric algorithm.');
  if (err instanceof joseErrors.JWKSTimeout || err instanceof IdpUnreachable || err instanceof joseErrors.JWKSInvalid || !(err instanceof joseErrors.JOSEError) || err.code === 'ERR_JOSE_GENERIC') {
    // A key set that cannot be fetched or read: the provider could not be reached.
    return new IdpCommunicationError(NO_KEY, { cause: err });
  }
  return new InvalidIdentityTokenError(NOT_A_JWT);
}

/**
 * What the token asks of the session, as AWS reads it: `https://aws.amazon.com/source_identity`,
 * and `https://aws.amazon.com/tags` `{ principal_tags: { KEY: [VALUE] }, transitive_tag_keys: [KEY] }`
 * (a tag's value may also be a plain string). They become condition keys (`sts:SourceIdentity`,
 * `aws:RequestTag/KEY`, `aws:TagKeys`, `sts:TransitiveTagKeys`), so a part of the wrong type is
 * refused rather than left out or converted.
 */
function sessionClaims(claims: JWTPayload): FederatedIdentity['session'] | undefined {
  const out: NonNullable<FederatedIdentity['session']> = {};
  const source = claims[SOURCE_IDENTITY_CLAIM];
  if (source !== undefined && typeof source !== 'string') throw invalidClaim(SOURCE_IDENTITY_CLAIM);
  if (source !== undefined) out.sourceIdentity = source;
  const tagClaim: unknown = claims[TAGS_CLAIM];
  if (tagClaim === undefined) return Object.keys(out).length > 0 ? out : undefined;
  if (!isObject(tagClaim)) throw invalidClaim(TAGS_CLAIM);
  const { principal_tags: principalTags, transitive_tag_keys: transitiveKeys } = tagClaim;
  if (principalTags !== undefined) {
    if (!isObject(principalTags)) throw invalidClaim(TAGS_CLAIM);
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(principalTags)) {
      const value = Array.isArray(v) && v.length === 1 ? v[0] : v;
      if (typeof value !== 'string') throw invalidClaim(TAGS_CLAIM);
      tags[k] = value;
    }
    if (Object.keys(tags).length > 0) out.tags = tags;
  }
  if (transitiveKeys !== undefined) {
    if (!Array.isArray(transitiveKeys) || !transitiveKeys.every((k) => typeof k === 'string')) throw invalidClaim(TAGS_CLAIM);
    out.transitiveTagKeys = transitiveKeys as string[];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A JSON object (not an array, not null). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
