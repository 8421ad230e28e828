import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { detachPolicy } from '../../../../services/iam/attachments.js';

/** iam:DetachGroupPolicy on the group ARN; iam:PolicyARN is the policy detached. */
export const detachGroupPolicy = iamOperation<'DetachGroupPolicy', ServiceDeps>('DetachGroupPolicy', {
  ...iamTarget('iam:DetachGroupPolicy', (i) => ({ groupName: i.GroupName, attachedPolicyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await detachPolicy(deps, { kind: 'group', entityName: input.GroupName, policyArn: input.PolicyArn }, ctx);
  },
});
