import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { attachPolicy } from '../../../../services/iam/attachments.js';

/** iam:AttachRolePolicy on the role ARN; iam:PolicyARN is the policy attached. */
export const attachRolePolicy = iamOperation<'AttachRolePolicy', ServiceDeps>('AttachRolePolicy', {
  ...iamTarget('iam:AttachRolePolicy', (i) => ({ roleName: i.RoleName, attachedPolicyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await attachPolicy(deps, { kind: 'role', entityName: input.RoleName, policyArn: input.PolicyArn }, ctx);
  },
});
