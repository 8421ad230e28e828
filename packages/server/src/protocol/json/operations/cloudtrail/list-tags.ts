/**
 * cloudtrail:ListTags: the tags of the caller's trail (AddTags, RemoveTags), in the order their
 * keys were first added. Every ARN is checked first: one that is not a
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
import type { TrailStateReadDeps } from '../../../../services/cloudtrail/trail-logging.js';
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

/** A CloudTrail ARN checked for form and account (ListTags, AddTags, RemoveTags). */
export function checkedResourceId(arn: string, accountId: string): string {
  const m = CLOUDTRAIL_ARN.exec(arn);
  if (!m) throw new CloudTrailArnInvalidError(`${arn} is not a valid CloudTrail ARN. A trail ARN has the form arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail.`);
  if (m[1] !== accountId) throw new CloudTrailArnInvalidError(`AccountID in ARN is wrong, you can only access resources with AccountID ${accountId}.`);
  if (m[2] === 'trail') {
    const problem = trailNameProblem(m[3]!);
    if (problem) throw new InvalidTrailNameError(problem);
  }
  return arn;
}

/** The ARNs of the request, each checked for form and account. */
export function checkedResourceIds(input: ListTagsRequest, accountId: string): string[] {
  if (input.ResourceIdList.length > MAX_RESOURCE_IDS) {
    throw new InvalidParameterError(`ResourceIdList has ${input.ResourceIdList.length} ARNs: the list has a limit of ${MAX_RESOURCE_IDS} ARNs.`);
  }
  return [...new Set(input.ResourceIdList)].map((arn) => checkedResourceId(arn, accountId));
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

/** What ListTags reads: the trail's tags. */
export type ListTagsDeps = TrailStateReadDeps;

/** The ListTags operation for the deployment's trail settings. */
export function listTagsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'ListTags', ListTagsDeps>('ListTags', {
    resource: (input, ctx) => resourceIds(input, ctx)[0] ?? '*',
    alsoAuthorizedOn: (input, ctx) => resourceIds(input, ctx).slice(1),
    async execute(input, ctx, deps): Promise<ListTagsResponse> {
      if (input.NextToken !== undefined) throw new InvalidTokenError('Invalid NextToken.');
      const trail = accountTrail(ctx.caller.accountId, settings);
      const arns = resourceIds(input, ctx);
      const tags = arns.includes(trail.arn) ? (await deps.store.getAccountTrail(ctx.caller.accountId))?.tags ?? [] : [];
      return {
        ResourceTagList: arns.map((arn) => {
          if (arn === trail.arn) return { ResourceId: arn, TagsList: tags.map((t) => (t.value === '' ? { Key: t.key } : { Key: t.key, Value: t.value })) };
          if (CLOUDTRAIL_ARN.exec(arn)![2] === 'eventdatastore') throw new EventDataStoreNotFoundError(`The event data store ${arn} does not exist.`);
          throw new ResourceNotFoundError(`Resource ${arn} not found.`);
        }),
      };
    },
  });
}
