import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { detachPolicy } from '../../../../services/iam/attachments.js';

/** iam:DetachRolePolicy on the role ARN; iam:PolicyARN is the policy detached. */
export const detachRolePolicy = iamOperation('DetachRolePolicy', {
  target: iamTarget((i) => ({ roleName: i.RoleName, attachedPolicyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    await detachPolicy(deps, { kind: 'role', entityName: input.RoleName, policyArn: input.PolicyArn }, ctx);
  },
});
