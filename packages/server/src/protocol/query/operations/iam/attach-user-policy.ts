import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { attachPolicy } from '../../../../services/iam/attachments.js';

/** iam:AttachUserPolicy on the user ARN; iam:PolicyARN is the policy attached. */
export const attachUserPolicy = iamOperation<'AttachUserPolicy', ServiceDeps>('AttachUserPolicy', {
  ...iamTarget('iam:AttachUserPolicy', (i) => ({ userName: i.UserName, attachedPolicyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await attachPolicy(deps, { kind: 'user', entityName: input.UserName, policyArn: input.PolicyArn }, ctx);
  },
});
