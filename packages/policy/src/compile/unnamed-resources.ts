/**
 * Resource patterns against a resource not named yet (`AuthzRequest.resourceNotNamed`): the request's
 * `arn:aws:iam::123456789012:user/*` stands for every user a form may create. An Allow statement
 * counts when it may match one of them, a Deny only when it matches every one: a denial then holds
 * for every name, and an allow says that some name may be allowed (AuthzRequest.resourceNotNamed).
 *
 * Both tests compare the patterns character by character, so the service, the account and the
 * resource type count (an Allow on `group/*`, or on another account's `user/*`, matches no user of
 * this account; a Deny on `arn:aws:iam::ACCOUNT:user/*` covers every one). Each errs on its own safe
 * side: {@link mayMatchSome} may say yes where no name matches (a policy variable stands for any
 * text, and a statement's `*` crosses colons everywhere), {@link matchesEvery} may say no where
 * every name would match (a variable is never sure, and a `*` ending an earlier part of the ARN is
 * not expanded across colons).
 *
 * In the request's pattern, `*` and `?` stand for characters of a name: never a colon (IAM names
 * have none), so a statement's colons must meet the request's own.
 */
import { isVariable, parseTemplate, type VariableRef } from '../parse/policy-variables.js';

const ANY = 0;
const ONE = 1;
const VARIABLE = 2;
type Token = string | typeof ANY | typeof ONE | typeof VARIABLE;

/** Patterns longer than this together are not compared (each test then gives its safe answer). */
const MAX_CELLS = 1_000_000;

/** A statement's Resource or NotResource pattern as tokens (variables only in a 2012-10-17 policy). */
export function statementTokens(pattern: string, variables: boolean): Token[] {
  const parsed = parseTemplate(pattern, variables);
  const parts = parsed.ok ? parsed.parts : [{ text: pattern, escaped: false }];
  const tokens: Token[] = [];
  for (const part of parts) {
    if (isVariable(part)) tokens.push(VARIABLE);
    else if (part.escaped) tokens.push(...part.text);
    else for (const c of part.text) tokens.push(c === '*' ? ANY : c === '?' ? ONE : c);
  }
  return tokens;
}

/**
 * The policy variables of a statement's Resource or NotResource pattern. One with no value makes
 * the pattern match no resource (AWS, "Policy variables with no value"): the caller drops it.
 */
export function statementVariables(pattern: string, variables: boolean): VariableRef[] {
  const parsed = parseTemplate(pattern, variables);
  return parsed.ok ? parsed.parts.filter(isVariable) : [];
}

/** The request's pattern of names not chosen yet as tokens. */
export function requestTokens(pattern: string): Token[] {
  return [...pattern].map((c) => (c === '*' ? ANY : c === '?' ? ONE : c));
}

/**
 * Whether some resource the request's pattern stands for may match the statement's pattern. A
 * statement's `*` and a variable match any text; the request's `*` and `?` never a colon.
 */
export function mayMatchSome(statement: readonly Token[], request: readonly Token[]): boolean {
  const P = statement.length;
  const Q = request.length;
  if ((P + 1) * (Q + 1) > MAX_CELLS) return true;
  // failed[i * (Q + 1) + j]: 1 when statement[i..] and request[j..] were found to share no text.
  const failed = new Uint8Array((P + 1) * (Q + 1));
  const overlap = (i: number, j: number): boolean => {
    const cell = i * (Q + 1) + j;
    if (failed[cell]) return false;
    let found: boolean;
    const p = statement[i];
    const q = request[j];
    if (i === P && j === Q) found = true;
    else if (p === ANY || p === VARIABLE) found = overlap(i + 1, j) || (j < Q && overlap(i, j + 1));
    else if (q === ANY) found = overlap(i, j + 1) || (i < P && p !== ':' && overlap(i + 1, j));
    else if (i === P || j === Q) found = false;
    else if (p === ONE) found = overlap(i + 1, j + 1);
    else found = (q === p || (q === ONE && p !== ':')) && overlap(i + 1, j + 1);
    if (!found) failed[cell] = 1;
    return found;
  };
  return overlap(0, 0);
}

/**
 * Whether the statement's pattern matches every resource the request's pattern stands for. A
 * statement's `*` is taken to match no colon (never more than it does), a variable as unsure.
 */
export function matchesEvery(statement: readonly Token[], request: readonly Token[]): boolean {
  const P = statement.length;
  const Q = request.length;
  if ((P + 1) * (Q + 1) > MAX_CELLS) return false;
  const failed = new Uint8Array((P + 1) * (Q + 1));
  const covers = (i: number, j: number): boolean => {
    const cell = i * (Q + 1) + j;
    if (failed[cell]) return false;
    let found: boolean;
    const p = statement[i];
    const q = request[j];
    if (i === P) found = j === Q;
    else if (p === ANY) found = covers(i + 1, j) || (j < Q && q !== ':' && covers(i, j + 1));
    else if (p === VARIABLE || j === Q) found = false;
    // `?` is one character; the request's `*` may be none or several.
    else if (p === ONE) found = q !== ANY && q !== ':' && covers(i + 1, j + 1);
    else found = q === p && covers(i + 1, j + 1);
    if (!found) failed[cell] = 1;
    return found;
  };
  return covers(0, 0);
}
