import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listGroupsForUser as listGroupsForUserService } from '../../../../services/iam/groups.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { pageMarkers, toWireGroup } from './identity-wire.js';

/** iam:ListGroupsForUser on the user's ARN. */
export const listGroupsForUser = iamOperation<'ListGroupsForUser', ServiceDeps>('ListGroupsForUser', {
  ...iamTarget('iam:ListGroupsForUser', (i) => ({ userName: i.UserName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const page = await listGroupsForUserService(deps, { userName: input.UserName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Groups: page.items.map(toWireGroup), ...pageMarkers(page) };
  },
});
