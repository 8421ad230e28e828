/** castellan:ListWorkloads: the caller's account's workload registrations, active and revoked, oldest first, in pages. */
import { listAccountWorkloads } from '../../../../services/workloads/workload-registrations.js';
import { castellanOperation } from '../../../define-operation.js';
import { pageById } from './page-by-id.js';
import { workloadView } from './workload-view.js';

/** The ListWorkloads operation. */
export const listWorkloads = castellanOperation('ListWorkloads', {
  resource: () => '*',
  async execute(input, ctx, deps) {
    const { page, NextToken } = pageById(await listAccountWorkloads(deps.store, ctx.caller.accountId), (w) => w.id, input);
    return { Workloads: page.map(workloadView), ...(NextToken ? { NextToken } : {}) };
  },
});
