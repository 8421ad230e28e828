import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listPolicyVersions as listPolicyVersionsService } from '../../../../services/iam/policy-versions.js';
import { pageMarkers } from './identity-wire.js';
import { toWirePolicyVersion } from './policy-wire.js';

/** iam:ListPolicyVersions on the policy ARN, newest first. */
export const listPolicyVersions = iamOperation('ListPolicyVersions', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    const page = await listPolicyVersionsService(deps, { policyArn: input.PolicyArn, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Versions: page.items.map(toWirePolicyVersion), ...pageMarkers(page) };
  },
});
