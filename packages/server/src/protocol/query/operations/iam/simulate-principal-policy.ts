import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { simulatePrincipalPolicy as simulatePrincipalPolicyService } from '../../../../services/iam/simulator.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { fromWireSimulationInput, simulationCache, toWireSimulation } from './simulation-wire.js';

/** iam:SimulatePrincipalPolicy on the simulated user, group or role (PolicySourceArn). */
export const simulatePrincipalPolicy = iamOperation<'SimulatePrincipalPolicy', ServiceDeps>('SimulatePrincipalPolicy', {
  ...iamTarget('iam:SimulatePrincipalPolicy', (i) => ({ arn: i.PolicySourceArn })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const page = await simulatePrincipalPolicyService(
      deps,
      simulationCache(deps),
      { policySourceArn: input.PolicySourceArn, policyInputList: input.PolicyInputList, ...fromWireSimulationInput(input) },
      ctx,
    );
    return toWireSimulation(page);
  },
});
