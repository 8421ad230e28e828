import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { detachPolicy } from '../../../../services/iam/attachments.js';

/** iam:DetachGroupPolicy on the group ARN; iam:PolicyARN is the policy detached. */
export const detachGroupPolicy = iamOperation('DetachGroupPolicy', {
  target: iamTarget((i) => ({ groupName: i.GroupName, attachedPolicyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    await detachPolicy(deps, { kind: 'group', entityName: input.GroupName, policyArn: input.PolicyArn }, ctx);
  },
});
