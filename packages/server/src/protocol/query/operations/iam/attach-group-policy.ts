import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { attachPolicy } from '../../../../services/iam/attachments.js';

/** iam:AttachGroupPolicy on the group ARN; iam:PolicyARN is the policy attached. */
export const attachGroupPolicy = iamOperation('AttachGroupPolicy', {
  target: iamTarget((i) => ({ groupName: i.GroupName, attachedPolicyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    await attachPolicy(deps, { kind: 'group', entityName: input.GroupName, policyArn: input.PolicyArn }, ctx);
  },
});
