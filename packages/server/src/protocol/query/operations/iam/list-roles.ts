import { iamOperation } from '../../../define-operation.js';
import { iamTarget, listedPathArn } from '../../../../services/authorization/iam-target.js';
import { listRoles as listRolesService } from '../../../../services/iam/roles.js';
import { pageMarkers } from './identity-wire.js';
import { toWireRole } from './policy-wire.js';

/** iam:ListRoles, authorized on `…:role<PathPrefix>` as AWS does: PathPrefix and paging. */
export const listRoles = iamOperation('ListRoles', {
  target: iamTarget((input, ctx) => ({ arn: listedPathArn(ctx, 'role', input.PathPrefix) })),
  execute: async (input, ctx, deps) => {
    const page = await listRolesService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Roles: page.items.map((r) => toWireRole(r)), ...pageMarkers(page) };
  },
});
