/**
 * Checks over the account's policy documents: administrator grants, `iam:*`, `NotAction` with
 * Allow, `iam:PassRole` on `*` and without a service condition, and policies attached to users
 * (practices 2, 3 and 4).
 */
import type { Statement } from '@castellan/policy';
import { lineDiff, prettyJson } from '../diff/line-diff.js';
import type { EntityRef, Finding, Fix, Severity } from '../types.js';
import { withDetails, shellQuote, type Check, type CheckContext } from './check.js';
import { allowsAction, onAnyResource, policyLabel, policyUses, type PolicyUse } from './policy-uses.js';
import { actionMatches } from '../wildcard.js';

/** A diff that removes one statement of the policy's document, or replaces it with others. */
function statementFix(use: PolicyUse, index: number, replacement: readonly unknown[], description: string): Fix {
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
function splitPassRole(written: Record<string, unknown> | undefined, passRole: (st: Record<string, unknown>) => Record<string, unknown>): unknown[] | undefined {
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

function documentOf(use: PolicyUse): Record<string, unknown> | undefined {
  return use.policy.document && typeof use.policy.document === 'object' ? (use.policy.document as Record<string, unknown>) : undefined;
}

/** The statement as written in the document (for diffs). */
function writtenStatement(use: PolicyUse, index: number): Record<string, unknown> | undefined {
  const doc = documentOf(use);
  const s = doc?.['Statement'];
  const st = Array.isArray(s) ? s[index] : index === 0 ? s : undefined;
  return st && typeof st === 'object' ? (st as Record<string, unknown>) : undefined;
}

/** Commands that detach or delete a policy from each of its holders. */
function detachCommands(use: PolicyUse): string {
  return use.holders
    .map((h) => {
      const kind = h.type === 'user' ? 'user' : h.type === 'group' ? 'group' : 'role';
      const flag = `--${kind}-name ${shellQuote(h.name)}`;
      return use.policy.arn ? `aws iam detach-${kind}-policy ${flag} --policy-arn ${shellQuote(use.policy.arn)}` : `aws iam delete-${kind}-policy ${flag} --policy-name ${shellQuote(use.policy.name)}`;
    })
    .join(' && ');
}

function statementChecks(ctx: CheckContext, check: { id: string; title: string }, test: (st: Statement, use: PolicyUse) => Omit<Finding, 'checkId' | 'practice' | 'title' | 'entities'> & { practice?: 2 | 4 } | undefined): readonly Finding[] {
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
const grantsWholeService = (st: Statement): boolean => (st.action ?? []).some((a) => a === '*' || a.toLowerCase() === 'iam:*');

const where = (use: PolicyUse, st: Statement): string => `${policyLabel(use.policy)} Statement[${st.index}]${st.sid ? ` (${st.sid})` : ''}`;

export const fullAdminPolicy: Check = {
  id: 'full-admin-policy',
  practice: 2,
  title: 'A policy grants `*:*` (full administrator access)',
  run(ctx) {
    return withDetails(ctx, () =>
      statementChecks(ctx, this, (st, use) => {
        if (!(st.effect === 'Allow' && (st.action ?? []).includes('*') && onAnyResource(st) && st.conditions.length === 0)) return undefined;
        const aws = use.policy.arn?.includes(':iam::aws:policy/') ?? false;
        return {
          severity: 'high' as Severity,
          why: 'Every holder can do anything in the account, including granting itself more and deleting the audit trail.',
          fix: { kind: 'command', command: detachCommands(use) },
          details: `${where(use, st)} allows \`*\` on \`*\``,
          cis: '1.16',
          prowler: [use.policy.arn ? (aws ? 'iam_aws_attached_policy_no_administrative_privileges' : 'iam_customer_attached_policy_no_administrative_privileges') : 'iam_inline_policy_no_administrative_privileges'],
        };
      }),
    );
  },
};

export const iamWildcard: Check = {
  id: 'iam-wildcard',
  practice: 2,
  title: 'A policy grants `iam:*`',
  run(ctx) {
    return withDetails(ctx, () =>
      statementChecks(ctx, this, (st, use) => {
        if (st.effect !== 'Allow' || !(st.action ?? []).some((a) => a.toLowerCase() === 'iam:*')) return undefined;
        const written = writtenStatement(use, st.index);
        const actions = (st.action ?? []).filter((a) => a.toLowerCase() !== 'iam:*');
        const narrowed = written ? { ...written, Action: [...actions, 'iam:Get*', 'iam:List*'] } : undefined;
        return {
          severity: 'high' as Severity,
          why: 'Full IAM access lets a holder grant itself any permission, so it is administrator access by another name.',
          fix: narrowed ? statementFix(use, st.index, [narrowed], 'Grant the IAM actions the holders need (read-only shown) instead of `iam:*`.') : { kind: 'manual', description: 'Grant the IAM actions the holders need instead of `iam:*`.' },
          details: `${where(use, st)} allows \`iam:*\``,
        };
      }),
    );
  },
};

export const notActionAllow: Check = {
  id: 'not-action-allow',
  practice: 2,
  title: 'A policy allows everything except a list (`NotAction` with Allow)',
  run(ctx) {
    return withDetails(ctx, () =>
      statementChecks(ctx, this, (st, use) => {
        if (st.effect !== 'Allow' || !st.notAction) return undefined;
        return {
          severity: onAnyResource(st) ? ('high' as Severity) : ('medium' as Severity),
          why: 'An allow-list inverted grants every action AWS adds in future, not only those you meant.',
          fix: statementFix(use, st.index, [], 'Replace the `NotAction` statement with an `Action` list of what is needed.'),
          details: `${where(use, st)} allows all but ${(st.notAction ?? []).map((a) => `\`${a}\``).join(', ')}`,
        };
      }),
    );
  },
};

export const passRoleAnyRole: Check = {
  id: 'pass-role-any-role',
  practice: 2,
  title: '`iam:PassRole` is allowed on every role',
  run(ctx) {
    return withDetails(ctx, () =>
      statementChecks(ctx, this, (st, use) => {
        if (!allowsAction(st, 'iam:PassRole') || !onAnyResource(st) || grantsWholeService(st)) return undefined;
        const account = use.holders.map((h) => h.arn?.split(':')[4]).find((a) => a) ?? 'ACCOUNT_ID';
        const split = splitPassRole(writtenStatement(use, st.index), (s) => ({ ...s, Resource: `arn:aws:iam::${account}:role/ROLE_TO_PASS` }));
        return {
          severity: 'high' as Severity,
          why: 'A holder can hand any role, including an administrator role, to a service it controls and act with that role.',
          fix: split ? statementFix(use, st.index, split, 'Name the roles that may be passed, in a statement of their own.') : { kind: 'manual', description: 'Name the roles that may be passed.' },
          details: `${where(use, st)} allows \`iam:PassRole\` on \`*\``,
        };
      }),
    );
  },
};

export const passRoleWithoutCondition: Check = {
  id: 'pass-role-without-service-condition',
  practice: 4,
  title: '`iam:PassRole` is allowed without an `iam:PassedToService` condition',
  run(ctx) {
    return withDetails(ctx, () =>
      statementChecks(ctx, this, (st, use) => {
        if (!allowsAction(st, 'iam:PassRole') || grantsWholeService(st)) return undefined;
        if (st.conditions.some((c) => c.key.toLowerCase() === 'iam:passedtoservice')) return undefined;
        const split = splitPassRole(writtenStatement(use, st.index), (s) => ({ ...s, Condition: { ...((s['Condition'] as object | undefined) ?? {}), StringEquals: { 'iam:PassedToService': 'SERVICE.amazonaws.com' } } }));
        return {
          practice: 4,
          severity: 'low' as Severity,
          why: 'Without the condition the role can be passed to any service, not only the one it was made for.',
          fix: split ? statementFix(use, st.index, split, 'Limit the services the role may be passed to (PassRole in a statement of its own, so the condition does not apply to the other actions).') : { kind: 'manual', description: 'Limit the services the role may be passed to.' },
          details: `${where(use, st)}`,
        };
      }),
    );
  },
};

export const userAttachedPolicies: Check = {
  id: 'user-attached-policies',
  practice: 3,
  title: 'A user has policies of its own instead of through groups',
  run(ctx) {
    return withDetails(ctx, (d) =>
      d.users
        .filter((u) => u.inlinePolicies.length > 0 || u.attachedPolicyArns.length > 0)
        .map((u) => {
          const user: EntityRef = { type: 'user', name: u.name, arn: u.arn };
          const commands = [
            `aws iam create-group --group-name ${shellQuote(`${u.name}-permissions`)}`,
            ...u.attachedPolicyArns.map((a) => `aws iam attach-group-policy --group-name ${shellQuote(`${u.name}-permissions`)} --policy-arn ${shellQuote(a)} && aws iam detach-user-policy --user-name ${shellQuote(u.name)} --policy-arn ${shellQuote(a)}`),
            `aws iam add-user-to-group --group-name ${shellQuote(`${u.name}-permissions`)} --user-name ${shellQuote(u.name)}`,
          ];
          return {
            checkId: this.id,
            practice: 3 as const,
            severity: 'low' as Severity,
            title: this.title,
            entities: [user],
            why: 'Permissions granted person by person drift apart and are rarely taken away.',
            fix: { kind: 'command' as const, command: commands.join(' && ') + (u.inlinePolicies.length > 0 ? `  # and move the inline policies ${u.inlinePolicies.map((p) => p.name).join(', ')} to the group` : '') },
            details: [...u.attachedPolicyArns, ...u.inlinePolicies.map((p) => `inline:${p.name}`)].join(', '),
            cis: '1.15',
            prowler: ['iam_policy_attached_only_to_group_or_roles'],
          };
        }),
    );
  },
};
