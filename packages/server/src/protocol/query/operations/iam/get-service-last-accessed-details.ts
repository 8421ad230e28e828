import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getServiceLastAccessedDetails as getService, type ServiceLastAccessed } from '../../../../services/iam/service-last-accessed.js';
import type { ServiceLastAccessed as WireServiceLastAccessed } from '../../../model/iam-types.js';

/** iam:GetServiceLastAccessedDetails (`*`): a page of the job's services and when each was last used. */
export const getServiceLastAccessedDetails = iamOperation('GetServiceLastAccessedDetails', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    const out = await getService(deps, { jobId: input.JobId, maxItems: input.MaxItems, marker: input.Marker }, ctx);
    return {
      JobStatus: 'COMPLETED' as const,
      JobType: out.report.granularity,
      JobCreationDate: out.report.createdAt,
      JobCompletionDate: out.report.completedAt,
      ServicesLastAccessed: out.services.map(toWire),
      IsTruncated: out.marker !== undefined,
      ...(out.marker ? { Marker: out.marker } : {}),
    };
  },
});

function toWire(s: ServiceLastAccessed): WireServiceLastAccessed {
  return {
    ServiceName: s.serviceName,
    ServiceNamespace: s.serviceNamespace,
    ...(s.lastAuthenticated ? { LastAuthenticated: s.lastAuthenticated } : {}),
    ...(s.lastAuthenticatedEntity ? { LastAuthenticatedEntity: s.lastAuthenticatedEntity } : {}),
    ...(s.lastAuthenticatedRegion ? { LastAuthenticatedRegion: s.lastAuthenticatedRegion } : {}),
    TotalAuthenticatedEntities: s.totalAuthenticatedEntities,
    ...(s.trackedActions
      ? { TrackedActionsLastAccessed: s.trackedActions.map((a) => ({ ActionName: a.actionName, LastAccessedEntity: a.lastAccessedEntity, LastAccessedTime: a.lastAccessedTime, LastAccessedRegion: a.lastAccessedRegion })) }
      : {}),
  };
}
