/**
 * Check `pass-role-without-service-condition`: `iam:PassRole` is allowed without an `iam:PassedToService` condition.
 */
import type { Severity } from '../types.js';
import { withDetails, type Check } from './check.js';
import { allowsAction } from './policy-uses.js';
import { grantsWholeService, splitPassRole, statementChecks, statementFix, where, writtenStatement } from './statement-findings.js';

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
