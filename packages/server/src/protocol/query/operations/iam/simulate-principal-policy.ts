import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { simulatePrincipalPolicy as simulatePrincipalPolicyService } from '../../../../services/iam/simulator.js';
import { fromWireSimulationInput, toWireSimulation } from './simulation-wire.js';

/** iam:SimulatePrincipalPolicy on the simulated user, group or role (PolicySourceArn). */
export const simulatePrincipalPolicy = iamOperation('SimulatePrincipalPolicy', {
  target: iamTarget((i) => ({ entityArn: i.PolicySourceArn })),
  execute: async (input, ctx, deps) => {
    const page = await simulatePrincipalPolicyService(
      deps,
      { policySourceArn: input.PolicySourceArn, policyInputList: input.PolicyInputList, ...fromWireSimulationInput(input) },
      ctx,
    );
    return toWireSimulation(page);
  },
});
