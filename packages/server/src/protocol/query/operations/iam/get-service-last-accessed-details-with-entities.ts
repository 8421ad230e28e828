import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getServiceLastAccessedDetailsWithEntities as getService } from '../../../../services/iam/service-last-accessed.js';

/** iam:GetServiceLastAccessedDetailsWithEntities (`*`): the job's users and roles and when each last used the service. */
export const getServiceLastAccessedDetailsWithEntities = iamOperation('GetServiceLastAccessedDetailsWithEntities', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    const out = await getService(deps, { jobId: input.JobId, serviceNamespace: input.ServiceNamespace, maxItems: input.MaxItems, marker: input.Marker }, ctx);
    return {
      JobStatus: 'COMPLETED' as const,
      JobCreationDate: out.report.createdAt,
      JobCompletionDate: out.report.completedAt,
      EntityDetailsList: out.entities.map(({ entity, lastAuthenticated }) => ({
        EntityInfo: { Arn: entity.arn, Name: entity.name, Type: entity.kind === 'user' ? ('USER' as const) : ('ROLE' as const), Id: entity.id, Path: entity.path },
        ...(lastAuthenticated ? { LastAuthenticated: lastAuthenticated } : {}),
      })),
      IsTruncated: out.marker !== undefined,
      ...(out.marker ? { Marker: out.marker } : {}),
    };
  },
});
