/** castellan:ListWorkloads: the caller's account's workload registrations, active and revoked. */
import { listAccountWorkloads } from '../../../../services/workloads/workload-registrations.js';
import { castellanOperation } from '../../../define-operation.js';
import { workloadView } from './workload-view.js';

/** The ListWorkloads operation. */
export const listWorkloads = castellanOperation('ListWorkloads', {
  resource: () => '*',
  async execute(_input, ctx, deps) {
    return { Workloads: (await listAccountWorkloads(deps.store, ctx.caller.accountId)).map(workloadView) };
  },
});
