import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { detachPolicy } from '../../../../services/iam/attachments.js';

/** iam:DetachRolePolicy on the role ARN; iam:PolicyARN is the policy detached. */
export const detachRolePolicy = iamOperation<'DetachRolePolicy', ServiceDeps>('DetachRolePolicy', {
  ...iamTarget('iam:DetachRolePolicy', (i) => ({ roleName: i.RoleName, attachedPolicyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await detachPolicy(deps, { kind: 'role', entityName: input.RoleName, policyArn: input.PolicyArn }, ctx);
  },
});
