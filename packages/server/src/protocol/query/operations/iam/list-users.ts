import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listUsers as listUsersService } from '../../../../services/iam/users.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { pageMarkers, toWireUser } from './identity-wire.js';

/** iam:ListUsers (no resource-level permissions: `*`). Tags and boundaries are not listed, as in AWS. */
export const listUsers = iamOperation<'ListUsers', ServiceDeps>('ListUsers', {
  ...iamTarget('iam:ListUsers', () => ({})),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const page = await listUsersService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return {
      Users: page.items.map((u) => {
        const { PermissionsBoundary: _b, ...user } = toWireUser(u);
        return user;
      }),
      ...pageMarkers(page),
    };
  },
});
