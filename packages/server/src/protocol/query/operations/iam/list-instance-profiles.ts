import { iamOperation } from '../../../define-operation.js';
import { iamTarget, listedPathArn } from '../../../../services/authorization/iam-target.js';
import { listInstanceProfiles as listInstanceProfilesService } from '../../../../services/iam/instance-profiles.js';
import { pageMarkers } from './identity-wire.js';
import { toWireInstanceProfile } from './instance-profile-wire.js';

/** iam:ListInstanceProfiles, authorized on `…:instance-profile<PathPrefix>` as AWS does: PathPrefix and paging; each profile with its role. */
export const listInstanceProfiles = iamOperation('ListInstanceProfiles', {
  target: iamTarget((input, ctx) => ({ arn: listedPathArn(ctx, 'instance-profile', input.PathPrefix) })),
  execute: async (input, ctx, deps) => {
    const page = await listInstanceProfilesService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { InstanceProfiles: page.items.map((p) => toWireInstanceProfile(p)), ...pageMarkers(page) };
  },
});
