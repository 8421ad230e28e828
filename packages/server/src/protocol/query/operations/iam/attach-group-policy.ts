import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { attachPolicy } from '../../../../services/iam/attachments.js';

/** iam:AttachGroupPolicy on the group ARN; iam:PolicyARN is the policy attached. */
export const attachGroupPolicy = iamOperation<'AttachGroupPolicy', ServiceDeps>('AttachGroupPolicy', {
  ...iamTarget('iam:AttachGroupPolicy', (i) => ({ groupName: i.GroupName, attachedPolicyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await attachPolicy(deps, { kind: 'group', entityName: input.GroupName, policyArn: input.PolicyArn }, ctx);
  },
});
