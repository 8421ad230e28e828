import { iamOperation } from '../../../define-operation.js';
import { iamTarget, listedPathArn } from '../../../../services/authorization/iam-target.js';
import { listUsers as listUsersService } from '../../../../services/iam/users.js';
import { pageMarkers, toWireListedUser } from './identity-wire.js';

/** iam:ListUsers, authorized on `…:user<PathPrefix>` as AWS does. Tags and boundaries are not listed, as in AWS. */
export const listUsers = iamOperation('ListUsers', {
  target: iamTarget((input, ctx) => ({ arn: listedPathArn(ctx, 'user', input.PathPrefix) })),
  execute: async (input, ctx, deps) => {
    const page = await listUsersService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return {
      Users: page.items.map(toWireListedUser),
      ...pageMarkers(page),
    };
  },
});
