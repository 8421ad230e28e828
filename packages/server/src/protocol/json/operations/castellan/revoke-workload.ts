/**
 * castellan:RevokeWorkload: the workload gets no more credentials from its next refresh on
 * (sessions already issued run to their expiry, as an instance role's do).
 */
import { revokeAccountWorkload } from '../../../../services/workloads/workload-registrations.js';
import { castellanOperation } from '../../../define-operation.js';
import { workloadArn } from '../../../../domain/arn.js';

/** The RevokeWorkload operation. */
export const revokeWorkload = castellanOperation('RevokeWorkload', {
  resource: (input, ctx) => workloadArn(ctx.caller.accountId, input.WorkloadId),
  async execute(input, ctx, deps) {
    await revokeAccountWorkload(deps.store, ctx.caller.accountId, input.WorkloadId, ctx.now);
    return {};
  },
});
