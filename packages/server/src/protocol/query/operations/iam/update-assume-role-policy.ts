import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { updateAssumeRolePolicy as updateAssumeRolePolicyService } from '../../../../services/iam/roles.js';

/** iam:UpdateAssumeRolePolicy on the role ARN. */
export const updateAssumeRolePolicy = iamOperation<'UpdateAssumeRolePolicy', ServiceDeps>('UpdateAssumeRolePolicy', {
  ...iamTarget('iam:UpdateAssumeRolePolicy', (i) => ({ roleName: i.RoleName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await updateAssumeRolePolicyService(deps, { roleName: input.RoleName, policyDocument: input.PolicyDocument }, ctx);
  },
});
