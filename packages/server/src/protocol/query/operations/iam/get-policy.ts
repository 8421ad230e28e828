import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { getPolicy as getPolicyService } from '../../../../services/iam/managed-policies.js';
import { toWirePolicy } from './policy-wire.js';

/** iam:GetPolicy on the policy ARN (AWS-managed ones included). */
export const getPolicy = iamOperation<'GetPolicy', ServiceDeps>('GetPolicy', {
  ...iamTarget('iam:GetPolicy', (i) => ({ policyArn: i.PolicyArn })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    return { Policy: toWirePolicy(await getPolicyService(deps, { policyArn: input.PolicyArn }, ctx)) };
  },
});
