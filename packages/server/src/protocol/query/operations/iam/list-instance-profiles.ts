import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listInstanceProfiles as listInstanceProfilesService } from '../../../../services/iam/instance-profiles.js';
import { pageMarkers } from './identity-wire.js';
import { toWireInstanceProfile } from './instance-profile-wire.js';

/** iam:ListInstanceProfiles: PathPrefix and paging; each profile with its role. */
export const listInstanceProfiles = iamOperation('ListInstanceProfiles', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    const page = await listInstanceProfilesService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { InstanceProfiles: page.items.map((p) => toWireInstanceProfile(p)), ...pageMarkers(page) };
  },
});
