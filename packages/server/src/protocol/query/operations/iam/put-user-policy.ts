import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { putInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:PutUserPolicy on the user ARN. */
export const putUserPolicy = iamOperation<'PutUserPolicy', ServiceDeps>('PutUserPolicy', {
  ...iamTarget('iam:PutUserPolicy', (i) => ({ userName: i.UserName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await putInlinePolicy(deps, { kind: 'user', entityName: input.UserName, policyName: input.PolicyName, policyDocument: input.PolicyDocument }, ctx);
  },
});
