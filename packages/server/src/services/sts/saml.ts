/**
 * AssumeRoleWithSAML's proof: a SAML 2.0 response from an IdP the role's account registered with
 * CreateSAMLProvider (`PrincipalArn`), verified by `saml-assertion.ts` against the provider's
 * metadata, used once (the store remembers the assertion until it expires, on every node), and
 * naming the requested role and provider together in its `Role` attribute. The caller is then the
 * IdP's user (`SAMLUser`); AWS's attributes (`RoleSessionName`, `PrincipalTag:*`,
 * `TransitiveTagKeys`, `SourceIdentity`) shape the session and the `saml:*` condition keys reach the
 * trust policy. `SessionDuration` is read by AWS's console sign-in only, never by this API (whose
 * session lasts `DurationSeconds`, default an hour), so it is ignored here as there.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { parseIamResourceArn } from '../../domain/arn.js';
import type { FederatedIdentity, Principal } from '../../domain/context.js';
import { AccessDeniedError, IdentityTokenExpiredError, InvalidIdentityTokenError } from '../../domain/errors.js';
import type { Authentication } from '../../domain/ports/authenticator.js';
import { cachedSamlMetadata } from '../iam/saml-metadata.js';
import type { ServiceDeps } from '../service-deps.js';
import { claimedAssertionId, readSamlResponse, verifyReadSamlResponse } from './saml-assertion.js';
import { roleAccountOf } from './web-identity.js';

/** AWS's SAML attribute names. */
const ATTR = 'https://aws.amazon.com/SAML/Attributes/';
const ROLE = `${ATTR}Role`;
const ROLE_SESSION_NAME = `${ATTR}RoleSessionName`;
const PRINCIPAL_TAG = `${ATTR}PrincipalTag:`;
const TRANSITIVE_TAG_KEYS = `${ATTR}TransitiveTagKeys`;
const SOURCE_IDENTITY = `${ATTR}SourceIdentity`;

/**
 * The audiences and recipients AWS accepts: its sign-in endpoint (global or regional) and
 * `urn:amazon:webservices`. A deployment may add its own (`--saml-audience`).
 */
export function samlAudienceMatcher(extra: readonly string[]): (url: string) => boolean {
  return (url) => url === 'urn:amazon:webservices' || /^https:\/\/([a-z0-9-]+\.)?signin\.aws\.amazon\.com\/saml$/.test(url) || extra.includes(url);
}

/**
 * The `saml:*` condition keys AWS fills from well-known attributes (by their OID names), besides
 * `saml:aud`, `saml:iss`, `saml:sub`, `saml:sub_type`, `saml:namequalifier` and `saml:doc`.
 */
const OID_KEYS: Readonly<Record<string, string>> = {
  'urn:oid:2.5.4.3': 'saml:cn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': 'saml:edupersonaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'saml:edupersonprincipalname',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': 'saml:edupersonentitlement',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.9': 'saml:edupersonscopedaffiliation',
  'urn:oid:0.9.2342.19200300.100.1.3': 'saml:mail',
  'urn:oid:2.5.4.42': 'saml:givenName',
  'urn:oid:2.5.4.4': 'saml:surname',
  'urn:oid:0.9.2342.19200300.100.1.1': 'saml:uid',
  'urn:oid:2.5.4.10': 'saml:organization',
};

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const NAMEID_PREFIX = 'urn:oasis:names:tc:SAML:2.0:nameid-format:';

/** AWS's NameQualifier: base64 of SHA-1 over the issuer, the account id and `/PROVIDER-NAME`. */
export function nameQualifier(issuer: string, accountId: string, providerName: string): string {
  return createHash('sha1').update(`${issuer}${accountId}/${providerName}`).digest('base64');
}

/** The store's key of an assertion: its provider and id, hashed to a fixed length. */
function samlReplayKey(providerArn: string, assertionId: string): string {
  return createHash('sha256').update(`${providerArn}\n${assertionId}`).digest('hex');
}

const replayed = () => new InvalidIdentityTokenError('Invalid SAML response: the assertion has already been used.');

/** Verifies `samlAssertion` for the role and provider named, and answers the caller it proves. */
export async function authenticateSaml(
  deps: Pick<ServiceDeps, 'store' | 'federation'>,
  input: { roleArn: string; principalArn: string; samlAssertion: string },
  now: Date,
): Promise<Authentication> {
  const accountId = roleAccountOf(input.roleArn);
  const parsed = parseIamResourceArn(input.principalArn);
  const provider = parsed?.type === 'saml-provider' && parsed.accountId === accountId ? await deps.store.getSamlProvider(accountId, input.principalArn) : undefined;
  if (!provider || !deps.federation) throw new InvalidIdentityTokenError('Specified provider doesn\'t exist.');
  let metadata;
  try {
    metadata = cachedSamlMetadata(provider.metadataDocument);
  } catch {
    throw new InvalidIdentityTokenError('The SAML provider\'s metadata cannot be used.');
  }
  const read = readSamlResponse(input.samlAssertion);
  // A replay is refused before the signature check, which costs a response padded up to the bounds
  // some 0.1 s of CPU: an id already used is refused whether or not the response is genuine (a
  // forgery naming it gains nothing but this same refusal). This read only refuses; an unused id is
  // recorded below, once the response verified, by the conditional write that decides.
  const claimed = claimedAssertionId(read);
  if (claimed !== '' && (await deps.store.samlAssertionUsed(samlReplayKey(provider.arn, claimed), now))) throw replayed();
  const verified = verifyReadSamlResponse(read, metadata, samlAudienceMatcher(deps.federation.samlAudiences), now);
  const one = (name: string) => verified.attributes.get(name)?.[0];

  // The Role attribute lists `ROLE-ARN,PROVIDER-ARN` pairs (in either order): the pair asked for must be one.
  const pairs = (verified.attributes.get(ROLE) ?? []).map((v) => v.split(',').map((x) => x.trim()));
  if (!pairs.some((p) => p.length === 2 && p.includes(input.roleArn) && p.includes(input.principalArn))) {
    throw new AccessDeniedError('Not authorized to perform sts:AssumeRoleWithSAML');
  }
  const roleSessionName = one(ROLE_SESSION_NAME);
  if (roleSessionName === undefined || !SESSION_NAME.test(roleSessionName)) {
    throw new InvalidIdentityTokenError(`The SAML assertion's RoleSessionName attribute (${ROLE_SESSION_NAME}) is missing or not 2 to 64 characters of [\\w+=,.@-].`);
  }
  const session: NonNullable<FederatedIdentity['session']> = { roleSessionName };
  // AWS: the session lasts DurationSeconds "or until the time specified in the SAML authentication
  // response's SessionNotOnOrAfter value, whichever is shorter".
  if (verified.sessionNotOnOrAfter) {
    if (verified.sessionNotOnOrAfter.getTime() <= now.getTime()) throw new IdentityTokenExpiredError(`The SAML assertion's session ended at ${verified.sessionNotOnOrAfter.toISOString()} (SessionNotOnOrAfter).`);
    session.notAfter = verified.sessionNotOnOrAfter;
  }
  const tags: Record<string, string> = {};
  for (const [name, values] of verified.attributes) {
    if (name.startsWith(PRINCIPAL_TAG) && values[0] !== undefined) tags[name.slice(PRINCIPAL_TAG.length)] = values[0];
  }
  if (Object.keys(tags).length > 0) session.tags = tags;
  const transitive = verified.attributes.get(TRANSITIVE_TAG_KEYS);
  if (transitive && transitive.length > 0) session.transitiveTagKeys = transitive;
  const source = one(SOURCE_IDENTITY);
  if (source !== undefined) session.sourceIdentity = source;

  // Once only, on every node: the assertion is remembered until it expires.
  if (!(await deps.store.consumeSamlAssertion(samlReplayKey(provider.arn, verified.id), verified.expiresAt, now))) throw replayed();

  const qualifier = nameQualifier(verified.issuer, accountId, provider.name);
  const subjectType = verified.subjectFormat === undefined ? 'unspecified' : verified.subjectFormat.startsWith(NAMEID_PREFIX) ? verified.subjectFormat.slice(NAMEID_PREFIX.length) : verified.subjectFormat;
  const conditionKeys: FederatedIdentity['conditionKeys'] = {
    'saml:aud': verified.recipient,
    'saml:iss': verified.issuer,
    'saml:sub': verified.subject,
    'saml:sub_type': subjectType,
    'saml:namequalifier': qualifier,
    'saml:doc': `${accountId}/${provider.name}`,
  };
  for (const [oid, key] of Object.entries(OID_KEYS)) {
    const values = verified.attributes.get(oid);
    if (values && values.length > 0) conditionKeys[key] = values.length === 1 ? values[0]! : values;
  }
  const principal: Principal = {
    type: 'SAMLUser',
    accountId,
    arn: provider.arn,
    principalId: `${qualifier}:${verified.subject}`,
    userName: verified.subject,
    mfaAuthenticated: false,
    federation: {
      kind: 'SAML',
      providerArn: provider.arn,
      identityProvider: qualifier,
      subject: verified.subject,
      audience: verified.recipient,
      issuer: verified.issuer,
      conditionKeys,
      subjectType,
      nameQualifier: qualifier,
      ...(verified.id !== '' ? { assertionId: verified.id } : {}),
      session,
    },
  };
  return { principal, facts: { method: 'identity-token', temporaryCredentials: false } };
}
