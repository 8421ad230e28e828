/**
 * cloudtrail:AddTags and cloudtrail:RemoveTags on the trail's ARN (`ResourceId`): the ARN is
 * checked as ListTags checks its list (another account's or a malformed one
 * `CloudTrailARNInvalidException`, a malformed trail name `InvalidTrailNameException`), and any
 * other resource of the account is not found (services/cloudtrail/trail-tags.ts).
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AddTags.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_RemoveTags.html
 */
import type { TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { addTrailTags, removeTrailTags, type TrailTagInput, type TrailTagsDeps } from '../../../../services/cloudtrail/trail-tags.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { AddTagsResponse, RemoveTagsResponse, Tag } from '../../../model/cloudtrail-types.js';
import { checkedResourceId } from './list-tags.js';

const fromWire = (tags: Tag[]): TrailTagInput[] => tags.map((t) => (t.Value === undefined ? { key: t.Key } : { key: t.Key, value: t.Value }));

/** The AddTags operation for the deployment's trail settings. */
export function addTagsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'AddTags', TrailTagsDeps>('AddTags', {
    resource: (input, ctx) => checkedResourceId(input.ResourceId, ctx.caller.accountId),
    async execute(input, ctx, deps): Promise<AddTagsResponse> {
      await addTrailTags(deps, settings, checkedResourceId(input.ResourceId, ctx.caller.accountId), fromWire(input.TagsList), ctx);
      return {};
    },
  });
}

/** The RemoveTags operation for the deployment's trail settings. */
export function removeTagsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'RemoveTags', TrailTagsDeps>('RemoveTags', {
    resource: (input, ctx) => checkedResourceId(input.ResourceId, ctx.caller.accountId),
    async execute(input, ctx, deps): Promise<RemoveTagsResponse> {
      await removeTrailTags(deps, settings, checkedResourceId(input.ResourceId, ctx.caller.accountId), fromWire(input.TagsList), ctx);
      return {};
    },
  });
}
