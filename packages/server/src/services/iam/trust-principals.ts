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
/**
 * A cheap test before parsing a stored document: may it hold a user or role id at all? A quoted id
 * as written, or any escape (`"\u0041IDA…"` is an id too once read, and a writer may spell one so).
 */
const MAY_HOLD_ID = /"A(?:IDA|ROA)[A-Z0-9]{12,}"|\\/;

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
 * `text` with each principal token whose value `renamed` maps replaced in place: every other byte
 * (condition values such as an unquoted 20-digit `sts:ExternalId`, which the validator reads by its
 * source text, and the writer's formatting) stays as written.
 */
function replaceTokens(text: string, tokens: PrincipalToken[], renamed: ReadonlyMap<string, string>): string {
  let out = '';
  let done = 0;
  for (const token of tokens) {
    const to = renamed.get(token.value);
    if (to === undefined) continue;
    out += text.slice(done, token.start) + JSON.stringify(to);
    done = token.end;
  }
  return done === 0 ? text : out + text.slice(done);
}

/**
 * The trust policy to store: each existing IAM user or role it names by ARN named by its unique id
 * instead (the caller has checked that they exist).
 */
export async function pinTrustPrincipals(store: Store, document: string): Promise<string> {
  const tokens = awsPrincipalTokens(document);
  const ids = new Map<string, string>();
  for (const { value } of tokens) {
    const m = USER_OR_ROLE_ARN.exec(value);
    if (!m || ids.has(value)) continue;
    const [, accountId, kind, name] = m as unknown as [string, string, string, string];
    const row = kind === 'user' ? await store.getUserByName(accountId, name) : await store.getRoleByName(accountId, name);
    if (row !== undefined && row.arn === value) ids.set(value, row.id);
  }
  return replaceTokens(document, tokens, ids);
}

/**
 * `roles` with their trust policies as IAM shows them: the ids of users and roles that still exist
 * as their ARNs. A page of roles is resolved with one read of users and one of roles.
 */
export async function withShownTrusts(store: Store, roles: readonly RoleRow[]): Promise<RoleRow[]> {
  const tokensOf = roles.map((role) => (MAY_HOLD_ID.test(role.assumeRolePolicyDocument) ? awsPrincipalTokens(role.assumeRolePolicyDocument) : []));
  const userIds: string[] = [];
  const roleIds: string[] = [];
  for (const tokens of tokensOf) {
    for (const { value } of tokens) {
      const m = USER_OR_ROLE_ID.exec(value);
      if (m) (m[1] === 'IDA' ? userIds : roleIds).push(value);
    }
  }
  if (userIds.length === 0 && roleIds.length === 0) return [...roles];
  const [userArns, roleArns] = await Promise.all([
    userIds.length > 0 ? store.getUserArnsByIds(userIds) : new Map<string, string>(),
    roleIds.length > 0 ? store.getRoleArnsByIds(roleIds) : new Map<string, string>(),
  ]);
  const arns = new Map([...userArns, ...roleArns]);
  return roles.map((role, i) => {
    const shown = replaceTokens(role.assumeRolePolicyDocument, tokensOf[i]!, arns);
    return shown === role.assumeRolePolicyDocument ? role : { ...role, assumeRolePolicyDocument: shown };
  });
}

/** `role` with its trust policy as IAM shows it. */
export async function withShownTrust(store: Store, role: RoleRow): Promise<RoleRow> {
  return (await withShownTrusts(store, [role]))[0]!;
}
