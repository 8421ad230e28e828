/**
 * Check `iam-wildcard`: A policy grants `iam:*`.
 */
import type { Severity } from '../types.js';
import { withDetails, type Check } from './check.js';
import { statementChecks, statementFix, where, writtenStatement } from './statement-findings.js';

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
