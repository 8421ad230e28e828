import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listGroupsForUser as listGroupsForUserService } from '../../../../services/iam/groups.js';
import { pageMarkers, toWireGroup } from './identity-wire.js';

/** iam:ListGroupsForUser on the user's ARN. */
export const listGroupsForUser = iamOperation('ListGroupsForUser', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    const page = await listGroupsForUserService(deps, { userName: input.UserName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Groups: page.items.map(toWireGroup), ...pageMarkers(page) };
  },
});
