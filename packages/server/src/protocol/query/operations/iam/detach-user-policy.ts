import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { detachPolicy } from '../../../../services/iam/attachments.js';

/** iam:DetachUserPolicy on the user ARN; iam:PolicyARN is the policy detached. */
export const detachUserPolicy = iamOperation<'DetachUserPolicy', ServiceDeps>('DetachUserPolicy', {
  ...iamTarget('iam:DetachUserPolicy', (i) => ({ userName: i.UserName, attachedPolicyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await detachPolicy(deps, { kind: 'user', entityName: input.UserName, policyArn: input.PolicyArn }, ctx);
  },
});
