/**
 * Keeps secrets out of audit records. CloudTrail replaces secret request parameters with
 * `HIDDEN_DUE_TO_SECURITY_REASONS` and leaves secret response members out altogether (a
 * CreateAccessKey event shows the key id, status, user and date, never the secret).
 *
 * Matching is by member name, anywhere in the tree and whatever the spelling (`SessionToken`,
 * `sessionToken`, `X-Amz-Security-Token`), so a new operation that returns a known kind of secret
 * is covered without a new rule. `redact.test.ts` checks that every member the AWS models mark
 * `sensitive` is listed here.
 *
 * Deliberate difference from AWS: AWS's records of STS calls can carry the issued `sessionToken`
 * in `responseElements.credentials`; Castellan never records a session token anywhere.
 */
import { plainTreeEvery, type PlainTreeTest } from './plain-tree.js';

/** The placeholder AWS writes in place of a secret request parameter. */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** One kind of secret: the member names that carry it and the operations known to send it. */
interface SecretMemberRule {
  members: readonly string[];
  /** Where it appears, for the reader; matching does not depend on it. */
  seenIn: string;
}

/** Every member name that carries a secret. */
export const SECRET_MEMBER_RULES: readonly SecretMemberRule[] = Object.freeze([
  { members: ['Password', 'OldPassword', 'NewPassword'], seenIn: 'CreateLoginProfile, UpdateLoginProfile, ChangePassword, ConsoleLogin' },
  { members: ['SecretAccessKey'], seenIn: 'CreateAccessKey response, STS Credentials' },
  { members: ['SessionToken', 'SecurityToken', 'X-Amz-Security-Token'], seenIn: 'STS Credentials, presigned requests' },
  { members: ['X-Amz-Signature', 'Signature'], seenIn: 'presigned requests' },
  { members: ['ServicePassword'], seenIn: 'Create/ResetServiceSpecificCredential response' },
  { members: ['PrivateKey'], seenIn: 'UploadServerCertificate' },
  { members: ['Base32StringSeed', 'QRCodePNG'], seenIn: 'CreateVirtualMFADevice response' },
  { members: ['AuthenticationCode1', 'AuthenticationCode2'], seenIn: 'EnableMFADevice, ResyncMFADevice' },
  { members: ['TokenCode', 'MfaCode', 'TotpCode'], seenIn: 'STS AssumeRole/GetSessionToken, console sign-in' },
  { members: ['SAMLAssertion', 'SAMLResponse'], seenIn: 'AssumeRoleWithSAML' },
  { members: ['WebIdentityToken'], seenIn: 'AssumeRoleWithWebIdentity' },
  { members: ['ContextAssertion'], seenIn: 'AssumeRole ProvidedContexts' },
  { members: ['ClientSecret'], seenIn: 'OIDC client configuration' },
  { members: ['RootSecretAccessKey'], seenIn: 'castellan:CreateAccount response' },
  { members: ['BootstrapSecret'], seenIn: 'castellan:RegisterWorkload response' },
  { members: ['ClientRequest', 'SigningKey'], seenIn: 'castellan:AuthorizeRequest (the client\'s signed request; signing keys)' },
]);

const normalize = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const SECRET_NAMES: ReadonlySet<string> = new Set(SECRET_MEMBER_RULES.flatMap((r) => r.members.map(normalize)));

/** Answers of `isSecretMember` by name: every record asks about the same few model member names. */
const secretByName = new Map<string, boolean>();
/** Names remembered at most; refused calls' member names are the caller's, so the cache is bounded. */
const SECRET_BY_NAME_LIMIT = 10_000;

/** True when a member of this name carries a secret. */
export function isSecretMember(name: string): boolean {
  let secret = secretByName.get(name);
  if (secret === undefined) {
    secret = SECRET_NAMES.has(normalize(name));
    if (secretByName.size < SECRET_BY_NAME_LIMIT) secretByName.set(name, secret);
  }
  return secret;
}

/** Request parameters with every secret replaced by {@link HIDDEN}. Does not modify its input. */
export function redactRequestParameters<T>(value: T): T {
  return walk(value, 'hide') as T;
}

/**
 * Response elements (or additional event data) with every secret member removed. A tree of plain
 * objects, arrays and values without a secret member (an authorization decision, most responses) is
 * returned as it is instead of copied: the copy would serialize to the same text.
 */
export function redactResponseElements<T>(value: T): T {
  return plainTreeEvery(value, HOLDS_NO_SECRET) ? value : (walk(value, 'drop') as T);
}

/** What `walk(value, 'drop')` copies unchanged: no secret member name anywhere. */
const HOLDS_NO_SECRET: PlainTreeTest = { key: (name) => !isSecretMember(name), string: () => true, bytesAreLeaves: false };

/**
 * Replaces every secret value of the request found in `text` (an error message that echoes its
 * input, e.g. a validation error quoting a too-long MFA code) with {@link HIDDEN}. The pipeline calls
 * it on the whole message and the whole input before either is cut to the trail's limits: a value cut
 * in half would no longer be found.
 */
export function scrubSecretValues(text: string, request: unknown): string {
  const values: string[] = [];
  collectSecretValues(request, false, values);
  // Nearly always none (a refusal quotes no secret): the message is returned as it is.
  if (values.length === 0) return text;
  let out = text;
  for (const v of values.sort((a, b) => b.length - a.length)) out = out.split(v).join(HIDDEN);
  return out;
}

/** Appends to `values` every string of 4 characters or more under a secret member of `v`, in member order. */
function collectSecretValues(v: unknown, secret: boolean, values: string[]): void {
  if (typeof v === 'string') {
    if (secret && v.length >= 4) values.push(v);
  } else if (Array.isArray(v)) {
    for (const x of v) collectSecretValues(x, secret, values);
  } else if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    // Object.keys reads the same own enumerable members in the same order as Object.entries, without a pair each.
    for (const k of Object.keys(v)) collectSecretValues((v as Record<string, unknown>)[k], secret || isSecretMember(k), values);
  }
}

function walk(value: unknown, mode: 'hide' | 'drop'): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, mode));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (isSecretMember(k)) {
      if (mode === 'hide' && v !== undefined && v !== null) out[k] = HIDDEN;
      continue;
    }
    out[k] = walk(v, mode);
  }
  return out;
}
