/**
 * cloudtrail:ListTags: the tags of the caller's trail, which has none (tagging is not
 * implemented), so its entry has an empty `TagsList`. Every ARN is checked first: one that is not a
 * CloudTrail ARN, or names another account, is `CloudTrailARNInvalidException`; a trail ARN with a
 * malformed name `InvalidTrailNameException`; an event data store `EventDataStoreNotFoundException`
 * (Castellan has none); any other resource of the account `ResourceNotFoundException`. The action
 * is authorized on every ARN of the list. AWS documents a limit of 20 ARNs but not its error: more
 * are `InvalidParameterException` (the model's "parameter that is not valid"), before any ARN is
 * read. One page: a NextToken, never issued, is `InvalidTokenException`, the token error the
 * model lists for ListTags (its `NextToken` is "reserved for future use").
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTags.html
 */
import type { RequestContext } from '../../../../domain/context.js';
import { accountTrail, trailNameProblem, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import {
  CloudTrailArnInvalidError,
  EventDataStoreNotFoundError,
  InvalidParameterError,
  InvalidTokenError,
  InvalidTrailNameError,
  ResourceNotFoundError,
} from '../../../../services/cloudtrail/cloudtrail-errors.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { ListTagsRequest, ListTagsResponse } from '../../../model/cloudtrail-types.js';

const CLOUDTRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:(\d{12}):(trail|eventdatastore|channel|dashboard)\/(.+)$/;

/** AWS: "The list has a limit of 20 ARNs." */
export const MAX_RESOURCE_IDS = 20;

/** The ARNs of the request, each checked for form and account. */
export function checkedResourceIds(input: ListTagsRequest, accountId: string): string[] {
  if (input.ResourceIdList.length > MAX_RESOURCE_IDS) {
    throw new InvalidParameterError(`ResourceIdList has ${input.ResourceIdList.length} ARNs: the list has a limit of ${MAX_RESOURCE_IDS} ARNs.`);
  }
  return [...new Set(input.ResourceIdList)].map((arn) => {
    const m = CLOUDTRAIL_ARN.exec(arn);
    if (!m) throw new CloudTrailArnInvalidError(`${arn} is not a valid CloudTrail ARN. A trail ARN has the form arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail.`);
    if (m[1] !== accountId) throw new CloudTrailArnInvalidError(`AccountID in ARN is wrong, you can only access resources with AccountID ${accountId}.`);
    if (m[2] === 'trail') {
      const problem = trailNameProblem(m[3]!);
      if (problem) throw new InvalidTrailNameError(problem);
    }
    return arn;
  });
}

/** Each request's checked ARNs: authorization (`resource`, `alsoAuthorizedOn`) and `execute` read them. */
const checkedByRequest = new WeakMap<ListTagsRequest, { accountId: string; arns: string[] }>();

/** The request's checked ARNs, checked once per request (the pipeline passes the same input to each step). */
function resourceIds(input: ListTagsRequest, ctx: RequestContext): string[] {
  const accountId = ctx.caller.accountId;
  const known = checkedByRequest.get(input);
  if (known?.accountId === accountId) return known.arns;
  const arns = checkedResourceIds(input, accountId);
  checkedByRequest.set(input, { accountId, arns });
  return arns;
}

/** The ListTags operation for the deployment's trail settings. */
export function listTagsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'ListTags', unknown>('ListTags', {
    resource: (input, ctx) => resourceIds(input, ctx)[0] ?? '*',
    alsoAuthorizedOn: (input, ctx) => resourceIds(input, ctx).slice(1),
    execute(input, ctx): ListTagsResponse {
      if (input.NextToken !== undefined) throw new InvalidTokenError('Invalid NextToken.');
      const trail = accountTrail(ctx.caller.accountId, settings);
      return {
        ResourceTagList: resourceIds(input, ctx).map((arn) => {
          if (arn === trail.arn) return { ResourceId: arn, TagsList: [] };
          if (CLOUDTRAIL_ARN.exec(arn)![2] === 'eventdatastore') throw new EventDataStoreNotFoundError(`The event data store ${arn} does not exist.`);
          throw new ResourceNotFoundError(`Resource ${arn} not found.`);
        }),
      };
    },
  });
}
