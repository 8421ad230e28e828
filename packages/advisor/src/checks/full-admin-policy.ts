/**
 * Check `full-admin-policy`: A policy grants `*:*` (full administrator access).
 */
import type { Severity } from '../types.js';
import { withDetails, type Check } from './check.js';
import { onAnyResource } from './policy-uses.js';
import { detachCommands, statementChecks, where } from './statement-findings.js';

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
