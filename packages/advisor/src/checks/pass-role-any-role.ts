/**
 * Check `pass-role-any-role`: `iam:PassRole` is allowed on every role.
 */
import type { Severity } from '../types.js';
import { withDetails, type Check } from './check.js';
import { allowsAction, onAnyResource } from './policy-uses.js';
import { grantsWholeService, splitPassRole, statementChecks, statementFix, where, writtenStatement } from './statement-findings.js';

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
