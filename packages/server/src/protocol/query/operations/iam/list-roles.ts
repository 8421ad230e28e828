import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { listRoles as listRolesService } from '../../../../services/iam/roles.js';
import { pageMarkers } from './identity-wire.js';
import { toWireRole } from './policy-wire.js';

/** iam:ListRoles (no resource-level permissions): PathPrefix and paging. */
export const listRoles = iamOperation<'ListRoles', ServiceDeps>('ListRoles', {
  ...iamTarget('iam:ListRoles', () => ({})),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const page = await listRolesService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Roles: page.items.map((r) => toWireRole(r)), ...pageMarkers(page) };
  },
});
