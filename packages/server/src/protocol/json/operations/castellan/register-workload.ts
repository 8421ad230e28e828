/**
 * castellan:RegisterWorkload: binds a workload to an instance profile of the caller's account and
 * answers its bootstrap secret once (stored only as a hash, never recorded). Authorized on the
 * instance profile, so a policy can say which profiles a principal may hand to workloads, and, as
 * launching an EC2 instance with the profile does, needs iam:PassRole on the profile's role.
 */
import { instanceProfileArn } from '../../../../domain/arn.js';
import { passInstanceProfileRole } from '../../../../services/authorization/pass-role.js';
import { registerWorkload as registerWorkloadService } from '../../../../services/workloads/workload-registrations.js';
import { castellanOperation } from '../../../define-operation.js';
import { workloadView } from './workload-view.js';

/** The RegisterWorkload operation. */
export const registerWorkload = castellanOperation('RegisterWorkload', {
  async resource(input, ctx, deps) {
    const accountId = ctx.caller.accountId;
    const profile = await deps.store.getInstanceProfileByName(accountId, input.InstanceProfileName);
    return instanceProfileArn(accountId, profile?.path ?? '/', profile?.name ?? input.InstanceProfileName);
  },
  dependentAuthorizations: (input, ctx, deps) => passInstanceProfileRole(deps, ctx.caller.accountId, input.InstanceProfileName),
  async execute(input, ctx, deps) {
    const { registration, bootstrapSecret } = await registerWorkloadService(deps, { accountId: ctx.caller.accountId, instanceProfileName: input.InstanceProfileName, now: ctx.now });
    return { Workload: workloadView(registration), BootstrapSecret: bootstrapSecret };
  },
});
