import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getContextKeysForPrincipalPolicy as getContextKeysForPrincipalPolicyService } from '../../../../services/iam/simulator.js';

/** iam:GetContextKeysForPrincipalPolicy on the user, group or role (PolicySourceArn). */
export const getContextKeysForPrincipalPolicy = iamOperation('GetContextKeysForPrincipalPolicy', {
  target: iamTarget((i) => ({ entityArn: i.PolicySourceArn })),
  execute: async (input, ctx, deps) => ({
    ContextKeyNames: await getContextKeysForPrincipalPolicyService(deps, { policySourceArn: input.PolicySourceArn, policyInputList: input.PolicyInputList }, ctx),
  }),
});
