import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { getPolicyVersion as getPolicyVersionService } from '../../../../services/iam/policy-versions.js';
import { toWirePolicyVersion } from './policy-wire.js';

/** iam:GetPolicyVersion on the policy ARN. */
export const getPolicyVersion = iamOperation<'GetPolicyVersion', ServiceDeps>('GetPolicyVersion', {
  ...iamTarget('iam:GetPolicyVersion', (i) => ({ policyArn: i.PolicyArn })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    return { PolicyVersion: toWirePolicyVersion(await getPolicyVersionService(deps, { policyArn: input.PolicyArn, versionId: input.VersionId }, ctx)) };
  },
});
