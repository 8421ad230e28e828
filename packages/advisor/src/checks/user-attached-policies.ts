/**
 * Check `user-attached-policies`: A user has policies of its own instead of through groups.
 */
import type { EntityRef, Severity } from '../types.js';
import { withDetails, shellQuote, type Check } from './check.js';

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
