import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { simulateCustomPolicy as simulateCustomPolicyService } from '../../../../services/iam/simulator.js';
import { fromWireSimulationInput, toWireSimulation } from './simulation-wire.js';

/** iam:SimulateCustomPolicy (no resource-level permissions): only the given policies are simulated. */
export const simulateCustomPolicy = iamOperation('SimulateCustomPolicy', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    const page = await simulateCustomPolicyService(
      deps,
      { policyInputList: input.PolicyInputList, ...fromWireSimulationInput(input) },
      ctx,
    );
    return toWireSimulation(page);
  },
});
