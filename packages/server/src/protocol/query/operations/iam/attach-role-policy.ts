import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { attachPolicy } from '../../../../services/iam/attachments.js';

/** iam:AttachRolePolicy on the role ARN; iam:PolicyARN is the policy attached. */
export const attachRolePolicy = iamOperation('AttachRolePolicy', {
  target: iamTarget((i) => ({ roleName: i.RoleName, attachedPolicyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    await attachPolicy(deps, { kind: 'role', entityName: input.RoleName, policyArn: input.PolicyArn }, ctx);
  },
});
