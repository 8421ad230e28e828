import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { getInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:GetRolePolicy on the role ARN. */
export const getRolePolicy = iamOperation<'GetRolePolicy', ServiceDeps>('GetRolePolicy', {
  ...iamTarget('iam:GetRolePolicy', (i) => ({ roleName: i.RoleName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const p = await getInlinePolicy(deps, { kind: 'role', entityName: input.RoleName, policyName: input.PolicyName }, ctx);
    return { RoleName: p.entityName, PolicyName: p.policyName, PolicyDocument: p.policyDocument };
  },
});
