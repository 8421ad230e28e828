import { iamOperation } from '../../../define-operation.js';
import { iamTarget, listedPathArn } from '../../../../services/authorization/iam-target.js';
import { listGroups as listGroupsService } from '../../../../services/iam/groups.js';
import { pageMarkers, toWireGroup } from './identity-wire.js';

/** iam:ListGroups, authorized on `…:group<PathPrefix>` as AWS does. */
export const listGroups = iamOperation('ListGroups', {
  target: iamTarget((input, ctx) => ({ arn: listedPathArn(ctx, 'group', input.PathPrefix) })),
  execute: async (input, ctx, deps) => {
    const page = await listGroupsService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Groups: page.items.map(toWireGroup), ...pageMarkers(page) };
  },
});
