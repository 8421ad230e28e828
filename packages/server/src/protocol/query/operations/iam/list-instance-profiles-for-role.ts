import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listInstanceProfilesForRole as listInstanceProfilesForRoleService } from '../../../../services/iam/instance-profiles.js';
import { pageMarkers } from './identity-wire.js';
import { toWireInstanceProfile } from './instance-profile-wire.js';

/** iam:ListInstanceProfilesForRole on the role ARN: the profiles holding it. Terraform calls it before DeleteRole. */
export const listInstanceProfilesForRole = iamOperation('ListInstanceProfilesForRole', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    const page = await listInstanceProfilesForRoleService(deps, { roleName: input.RoleName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { InstanceProfiles: page.items.map((p) => toWireInstanceProfile(p)), ...pageMarkers(page) };
  },
});
