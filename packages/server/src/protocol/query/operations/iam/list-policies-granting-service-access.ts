import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listPoliciesGrantingServiceAccess as listService, type PolicyGrantingServiceAccess } from '../../../../services/iam/policies-granting-service-access.js';
import type { PolicyGrantingServiceAccess as WirePolicy } from '../../../model/iam-types.js';

/** iam:ListPoliciesGrantingServiceAccess on the user, group or role: per service, the policies that grant it. */
export const listPoliciesGrantingServiceAccess = iamOperation('ListPoliciesGrantingServiceAccess', {
  target: iamTarget((i) => ({ entityArn: i.Arn })),
  execute: async (input, ctx, deps) => {
    const entries = await listService(deps, { arn: input.Arn, serviceNamespaces: input.ServiceNamespaces, marker: input.Marker }, ctx);
    return {
      PoliciesGrantingServiceAccess: entries.map((e) => ({ ServiceNamespace: e.serviceNamespace, Policies: e.policies.map(toWire) })),
      IsTruncated: false,
    };
  },
});

function toWire(p: PolicyGrantingServiceAccess): WirePolicy {
  return p.policyType === 'MANAGED'
    ? { PolicyName: p.policyName, PolicyType: p.policyType, PolicyArn: p.policyArn }
    : { PolicyName: p.policyName, PolicyType: p.policyType, EntityType: p.entityType, EntityName: p.entityName };
}
