/**
 * IAM keeps the IAM users and roles a trust policy names by their unique ids: "When you save the
 * policy, AWS transforms the ARN to a unique principal ID … if you delete the role or user, then the
 * relationship is broken … even if you recreate the user or role", and shows the ARN again only
 * while the id still maps to one (a deleted principal shows as its id).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 *
 * So a role's stored trust policy names them by id (what sts:AssumeRole is decided with: the engine
 * matches a user's id and a role session's `ROLEID:SESSION`), and every answer that shows it maps
 * the ids back. Only `Principal`/`NotPrincipal` `AWS` values are touched, never a condition value.
 *
 * @module
 */
import { readJson, type JsonNode, type SourcePosition } from '@castellan/policy';
import type { RoleRow, Store } from '../../store/store.js';

/** A user or role ARN, with its account and (last path segment) name. */
const USER_OR_ROLE_ARN = /^arn:aws:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/;
/** The unique id of a user (`AIDA…`) or role (`AROA…`). */
const USER_OR_ROLE_ID = /^A(IDA|ROA)[A-Z0-9]{12,}$/;
/** A cheap test before parsing a stored document: does it hold a quoted user or role id at all? */
const HOLDS_ID = /"A(?:IDA|ROA)[A-Z0-9]{12,}"/;

type Rename = (value: string) => Promise<string | undefined>;

/** One `AWS` principal string of the document: its value and where its token (quotes included) lies. */
interface PrincipalToken {
  value: string;
  start: number;
  end: number;
}

/**
 * The `AWS` principal strings of `Principal`/`NotPrincipal` in `text`, with the offsets of their
 * tokens; none when it is not JSON (it was validated before it was stored, so that is not expected).
 */
function awsPrincipalTokens(text: string): PrincipalToken[] {
  const read = readJson(text);
  if (!read.ok || read.node.kind !== 'object') return [];
  // The reader gives 1-based line and column; the text's offsets are what a splice needs.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const offset = (p: SourcePosition): number => lineStarts[p.line - 1]! + p.column - 1;
  const tokens: PrincipalToken[] = [];
  const take = (node: JsonNode): void => {
    // A span's end is its last character (the closing quote).
    if (node.kind === 'string' && node.span) tokens.push({ value: node.value, start: offset(node.span.start), end: offset(node.span.end) + 1 });
  };
  const member = (node: JsonNode, key: string): JsonNode | undefined =>
    node.kind === 'object' ? node.entries.find((e) => e.key === key)?.value : undefined;
  const statement = member(read.node, 'Statement');
  const statements = statement?.kind === 'array' ? statement.items : statement ? [statement] : [];
  for (const st of statements) {
    for (const element of ['Principal', 'NotPrincipal']) {
      const aws = member(st, element) && member(member(st, element)!, 'AWS');
      if (aws?.kind === 'array') aws.items.forEach(take);
      else if (aws) take(aws);
    }
  }
  return tokens.sort((a, b) => a.start - b.start);
}

/**
 * `text` with each `AWS` principal string that `rename` answers replaced in place: every other byte
 * (condition values such as an unquoted 20-digit `sts:ExternalId`, which the validator reads by its
 * source text, and the writer's formatting) stays as written.
 */
async function renameAwsPrincipals(text: string, rename: Rename): Promise<string> {
  let out = '';
  let done = 0;
  let changed = false;
  for (const token of awsPrincipalTokens(text)) {
    const renamed = await rename(token.value);
    if (renamed === undefined) continue;
    out += text.slice(done, token.start) + JSON.stringify(renamed);
    done = token.end;
    changed = true;
  }
  return changed ? out + text.slice(done) : text;
}

/**
 * The trust policy to store: each existing IAM user or role it names by ARN named by its unique id
 * instead (the caller has checked that they exist).
 */
export function pinTrustPrincipals(store: Store, document: string): Promise<string> {
  return renameAwsPrincipals(document, async (value) => {
    const m = USER_OR_ROLE_ARN.exec(value);
    if (!m) return undefined;
    const [, accountId, kind, name] = m as unknown as [string, string, string, string];
    const row = kind === 'user' ? await store.getUserByName(accountId, name) : await store.getRoleByName(accountId, name);
    return row !== undefined && row.arn === value ? row.id : undefined;
  });
}

/** A stored trust policy as IAM shows it: the ids of users and roles that still exist as their ARNs. */
export async function showTrustPrincipals(store: Store, document: string): Promise<string> {
  if (!HOLDS_ID.test(document)) return document;
  return renameAwsPrincipals(document, async (value) => {
    const m = USER_OR_ROLE_ID.exec(value);
    if (!m) return undefined;
    const row = m[1] === 'IDA' ? await store.getUserById(value) : await store.getRoleById(value);
    return row?.arn;
  });
}

/** `role` with its trust policy as IAM shows it. */
export async function withShownTrust(store: Store, role: RoleRow): Promise<RoleRow> {
  const shown = await showTrustPrincipals(store, role.assumeRolePolicyDocument);
  return shown === role.assumeRolePolicyDocument ? role : { ...role, assumeRolePolicyDocument: shown };
}
