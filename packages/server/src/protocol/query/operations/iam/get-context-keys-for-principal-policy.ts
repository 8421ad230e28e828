import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getContextKeysForPrincipalPolicy as getContextKeysForPrincipalPolicyService } from '../../../../services/iam/simulator.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:GetContextKeysForPrincipalPolicy on the user, group or role (PolicySourceArn). */
export const getContextKeysForPrincipalPolicy = iamOperation<'GetContextKeysForPrincipalPolicy', ServiceDeps>('GetContextKeysForPrincipalPolicy', {
  ...iamTarget('iam:GetContextKeysForPrincipalPolicy', (i) => ({ arn: i.PolicySourceArn })),
  readOnly: true,
  execute: async (input, ctx, deps) => ({
    ContextKeyNames: await getContextKeysForPrincipalPolicyService(deps, { policySourceArn: input.PolicySourceArn, policyInputList: input.PolicyInputList }, ctx),
  }),
});
