import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getContextKeysForCustomPolicy as getContextKeysForCustomPolicyService } from '../../../../services/iam/simulator.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:GetContextKeysForCustomPolicy (no resource-level permissions): the condition keys the given policies use. */
export const getContextKeysForCustomPolicy = iamOperation<'GetContextKeysForCustomPolicy', ServiceDeps>('GetContextKeysForCustomPolicy', {
  ...iamTarget('iam:GetContextKeysForCustomPolicy', () => ({})),
  readOnly: true,
  execute: (input) => ({ ContextKeyNames: getContextKeysForCustomPolicyService({ policyInputList: input.PolicyInputList }) }),
});
