import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { putInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:PutRolePolicy on the role ARN. */
export const putRolePolicy = iamOperation<'PutRolePolicy', ServiceDeps>('PutRolePolicy', {
  ...iamTarget('iam:PutRolePolicy', (i) => ({ roleName: i.RoleName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await putInlinePolicy(deps, { kind: 'role', entityName: input.RoleName, policyName: input.PolicyName, policyDocument: input.PolicyDocument }, ctx);
  },
});
