/**
 * What the statement-level policy checks share: walking every statement of the policies in use,
 * naming a statement, and fixes written as diffs of the document or detach commands.
 */
import type { Statement } from '@castellan/policy';
import { lineDiff, prettyJson } from '../diff/line-diff.js';
import type { Finding, Fix } from '../types.js';
import { shellQuote, type CheckContext } from './check.js';
import { policyLabel, policyUses, type PolicyUse } from './policy-uses.js';
import { actionMatches } from '../wildcard.js';

/** A diff that removes one statement of the policy's document, or replaces it with others. */
export function statementFix(use: PolicyUse, index: number, replacement: readonly unknown[], description: string): Fix {
  const original = documentOf(use);
  if (!original) return { kind: 'manual', description };
  const statements = Array.isArray(original['Statement']) ? [...(original['Statement'] as unknown[])] : [original['Statement']];
  statements.splice(index, 1, ...replacement);
  const changed = { ...original, Statement: statements };
  return { kind: 'policyDiff', description, diff: lineDiff(prettyJson(original), prettyJson(changed)) };
}

/**
 * The statement with `iam:PassRole` moved into a statement of its own, changed by `passRole`, so
 * a fix for PassRole does not narrow the other actions the statement grants.
 */
export function splitPassRole(written: Record<string, unknown> | undefined, passRole: (st: Record<string, unknown>) => Record<string, unknown>): unknown[] | undefined {
  if (!written) return undefined;
  const actions = (Array.isArray(written['Action']) ? written['Action'] : [written['Action']]) as string[];
  const passing = actions.filter((a) => actionMatches(a, 'iam:PassRole'));
  // A pattern (`iam:Pass*`) grants more than PassRole: splitting it is the author's call.
  if (passing.some((a) => a.toLowerCase() !== 'iam:passrole')) return undefined;
  const others = actions.filter((a) => !passing.includes(a));
  const own = passRole({ ...written, Action: 'iam:PassRole' });
  if ('Sid' in own) delete own['Sid'];
  return others.length > 0 ? [{ ...written, Action: others.length === 1 ? others[0] : others }, own] : [passRole(written)];
}

export function documentOf(use: PolicyUse): Record<string, unknown> | undefined {
  return use.policy.document && typeof use.policy.document === 'object' ? (use.policy.document as Record<string, unknown>) : undefined;
}

/** The statement as written in the document (for diffs). */
export function writtenStatement(use: PolicyUse, index: number): Record<string, unknown> | undefined {
  const doc = documentOf(use);
  const s = doc?.['Statement'];
  const st = Array.isArray(s) ? s[index] : index === 0 ? s : undefined;
  return st && typeof st === 'object' ? (st as Record<string, unknown>) : undefined;
}

/** Commands that detach or delete a policy from each of its holders. */
export function detachCommands(use: PolicyUse): string {
  return use.holders
    .map((h) => {
      const kind = h.type === 'user' ? 'user' : h.type === 'group' ? 'group' : 'role';
      const flag = `--${kind}-name ${shellQuote(h.name)}`;
      return use.policy.arn ? `aws iam detach-${kind}-policy ${flag} --policy-arn ${shellQuote(use.policy.arn)}` : `aws iam delete-${kind}-policy ${flag} --policy-name ${shellQuote(use.policy.name)}`;
    })
    .join(' && ');
}

export function statementChecks(ctx: CheckContext, check: { id: string; title: string }, test: (st: Statement, use: PolicyUse) => Omit<Finding, 'checkId' | 'practice' | 'title' | 'entities'> & { practice?: 2 | 4 } | undefined): readonly Finding[] {
  const out: Finding[] = [];
  for (const use of policyUses(ctx)) {
    for (const st of use.policy.policy.statements) {
      const f = test(st, use);
      if (f) out.push({ checkId: check.id, title: check.title, entities: [use.ref, ...use.holders], ...f, practice: f.practice ?? 2 });
    }
  }
  return out;
}

/** `*` and `iam:*` have checks of their own; PassRole findings would repeat them. */
export const grantsWholeService = (st: Statement): boolean => (st.action ?? []).some((a) => a === '*' || a.toLowerCase() === 'iam:*');

export const where = (use: PolicyUse, st: Statement): string => `${policyLabel(use.policy)} Statement[${st.index}]${st.sid ? ` (${st.sid})` : ''}`;

