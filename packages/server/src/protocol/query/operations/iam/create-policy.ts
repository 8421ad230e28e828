import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createPolicy as createPolicyService } from '../../../../services/iam/managed-policies.js';
import { fromWireTags } from './identity-wire.js';
import { toWirePolicy } from './policy-wire.js';

/**
 * iam:CreatePolicy on the new policy ARN (with its path); tags are condition keys. AWS answers the
 * tags given but not the Description (GetPolicy returns it), as responses recorded against AWS show.
 */
export const createPolicy = iamOperation('CreatePolicy', {
  target: iamTarget((i, ctx) => ({ arn: `arn:aws:iam::${ctx.caller.accountId}:policy${i.Path ?? '/'}${i.PolicyName}`, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    const policy = await createPolicyService(deps, { policyName: input.PolicyName, path: input.Path, policyDocument: input.PolicyDocument, description: input.Description, tags: fromWireTags(input.Tags) }, ctx);
    const { description: _description, ...created } = policy;
    return { Policy: toWirePolicy(created) };
  },
});
