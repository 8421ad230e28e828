import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listGroups as listGroupsService } from '../../../../services/iam/groups.js';
import { pageMarkers, toWireGroup } from './identity-wire.js';

/** iam:ListGroups (no resource-level permissions: `*`). */
export const listGroups = iamOperation('ListGroups', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    const page = await listGroupsService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Groups: page.items.map(toWireGroup), ...pageMarkers(page) };
  },
});
