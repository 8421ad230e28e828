import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { detachPolicy } from '../../../../services/iam/attachments.js';

/** iam:DetachUserPolicy on the user ARN; iam:PolicyARN is the policy detached. */
export const detachUserPolicy = iamOperation('DetachUserPolicy', {
  target: iamTarget((i) => ({ userName: i.UserName, attachedPolicyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    await detachPolicy(deps, { kind: 'user', entityName: input.UserName, policyArn: input.PolicyArn }, ctx);
  },
});
