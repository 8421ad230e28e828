/**
 * Check `support-role`: No role can manage incidents with AWS Support.
 */
import { withDetails, type Check } from './check.js';

const SUPPORT_POLICY = 'arn:aws:iam::aws:policy/AWSSupportAccess';

export const supportRole: Check = {
  id: 'support-role',
  practice: 10,
  title: 'No role can manage incidents with AWS Support',
  run(ctx) {
    return withDetails(ctx, (d) => {
      if (d.roles.some((r) => r.attachedPolicyArns.includes(SUPPORT_POLICY))) return [];
      return [
        {
          checkId: this.id,
          practice: 10,
          severity: 'low',
          title: this.title,
          entities: [{ type: 'account', name: d.accountId ?? 'account' }],
          why: 'Without a support role, incidents are handled with broader credentials than they need.',
          fix: { kind: 'command', command: `aws iam create-role --role-name aws-support --assume-role-policy-document file://trust.json && aws iam attach-role-policy --role-name aws-support --policy-arn ${SUPPORT_POLICY}` },
          cis: '1.17',
          prowler: ['iam_support_role_created'],
        },
      ];
    });
  },
};
