import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listRoles as listRolesService } from '../../../../services/iam/roles.js';
import { pageMarkers } from './identity-wire.js';
import { toWireRole } from './policy-wire.js';

/** iam:ListRoles (no resource-level permissions): PathPrefix and paging. */
export const listRoles = iamOperation('ListRoles', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    const page = await listRolesService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Roles: page.items.map((r) => toWireRole(r)), ...pageMarkers(page) };
  },
});
