import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { attachPolicy } from '../../../../services/iam/attachments.js';

/** iam:AttachUserPolicy on the user ARN; iam:PolicyARN is the policy attached. */
export const attachUserPolicy = iamOperation('AttachUserPolicy', {
  target: iamTarget((i) => ({ userName: i.UserName, attachedPolicyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    await attachPolicy(deps, { kind: 'user', entityName: input.UserName, policyArn: input.PolicyArn }, ctx);
  },
});
