import type { WorkloadSummary } from '../../../../services/workloads/workload-registrations.js';
import type { Workload } from '../../../model/castellan-types.js';

/** A registration as the wire shows it (never its secret hash). */
export function workloadView(r: WorkloadSummary): Workload {
  return {
    WorkloadId: r.id,
    AccountId: r.accountId,
    InstanceProfileName: r.instanceProfileName,
    CreateDate: r.createDate,
    ...(r.revokedAt ? { RevokedDate: r.revokedAt } : {}),
  };
}
