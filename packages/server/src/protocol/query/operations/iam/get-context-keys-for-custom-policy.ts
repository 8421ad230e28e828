import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getContextKeysForCustomPolicy as getContextKeysForCustomPolicyService } from '../../../../services/iam/simulator.js';

/** iam:GetContextKeysForCustomPolicy (no resource-level permissions): the condition keys the given policies use. */
export const getContextKeysForCustomPolicy = iamOperation('GetContextKeysForCustomPolicy', {
  target: iamTarget(() => ({})),
  execute: (input) => ({ ContextKeyNames: getContextKeysForCustomPolicyService({ policyInputList: input.PolicyInputList }) }),
});
