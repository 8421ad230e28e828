import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listAttachedPolicies } from '../../../../services/iam/attachments.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListAttachedUserPolicies on the user ARN; PathPrefix filters policy paths. */
export const listAttachedUserPolicies = iamOperation('ListAttachedUserPolicies', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    const page = await listAttachedPolicies(deps, { kind: 'user', entityName: input.UserName, pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { AttachedPolicies: page.items.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })), ...pageMarkers(page) };
  },
});
