import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { simulatePrincipalPolicy as simulatePrincipalPolicyService } from '../../../../services/iam/simulator.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { fromWireContextEntries, simulationCache, toWireSimulation } from './simulation-wire.js';

/** iam:SimulatePrincipalPolicy on the simulated user, group or role (PolicySourceArn). */
export const simulatePrincipalPolicy = iamOperation<'SimulatePrincipalPolicy', ServiceDeps>('SimulatePrincipalPolicy', {
  ...iamTarget('iam:SimulatePrincipalPolicy', (i) => ({ arn: i.PolicySourceArn })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const page = await simulatePrincipalPolicyService(
      deps,
      simulationCache(deps),
      {
        policySourceArn: input.PolicySourceArn,
        policyInputList: input.PolicyInputList,
        permissionsBoundaryPolicyInputList: input.PermissionsBoundaryPolicyInputList,
        actionNames: input.ActionNames,
        resourceArns: input.ResourceArns,
        resourcePolicy: input.ResourcePolicy,
        resourceOwner: input.ResourceOwner,
        resourceHandlingOption: input.ResourceHandlingOption,
        callerArn: input.CallerArn,
        contextEntries: fromWireContextEntries(input.ContextEntries),
        marker: input.Marker,
        maxItems: input.MaxItems,
      },
      ctx,
    );
    return toWireSimulation(page);
  },
});
