import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { createPolicyVersion as createPolicyVersionService } from '../../../../services/iam/policy-versions.js';
import { toWirePolicyVersion } from './policy-wire.js';

/** iam:CreatePolicyVersion on the policy ARN. */
export const createPolicyVersion = iamOperation<'CreatePolicyVersion', ServiceDeps>('CreatePolicyVersion', {
  ...iamTarget('iam:CreatePolicyVersion', (i) => ({ policyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    const v = await createPolicyVersionService(deps, { policyArn: input.PolicyArn, policyDocument: input.PolicyDocument, setAsDefault: input.SetAsDefault }, ctx);
    return { PolicyVersion: toWirePolicyVersion(v) };
  },
});
