import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateAssumeRolePolicy as updateAssumeRolePolicyService } from '../../../../services/iam/roles.js';

/** iam:UpdateAssumeRolePolicy on the role ARN. */
export const updateAssumeRolePolicy = iamOperation('UpdateAssumeRolePolicy', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    await updateAssumeRolePolicyService(deps, { roleName: input.RoleName, policyDocument: input.PolicyDocument }, ctx);
  },
});
