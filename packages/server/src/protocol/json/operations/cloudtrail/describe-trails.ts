/**
 * cloudtrail:DescribeTrails: the caller's trail, when the request asks for it. With no names it is
 * listed in every region (in other regions as the shadow of a multi-Region trail, unless
 * `includeShadowTrails` is false); a name matches only in the trail's home region, an ARN anywhere.
 * Names that match nothing are skipped, malformed ones are `InvalidTrailNameException`.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
 */
import { accountTrail, namesAccountTrail, parseTrailReference, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { DescribeTrailsRequest, DescribeTrailsResponse } from '../../../model/cloudtrail-types.js';
import { trailShape } from './trail-wire.js';

/** Whether the request describes the caller's trail (checks every name first). */
export function describesAccountTrail(input: DescribeTrailsRequest, caller: { accountId: string; region: string }, settings: Pick<TrailSettings, 'homeRegion'>): boolean {
  const refs = (input.trailNameList ?? []).map(parseTrailReference);
  if (refs.length === 0) return input.includeShadowTrails !== false || caller.region === settings.homeRegion;
  return refs.some((ref) => namesAccountTrail(ref, caller, settings));
}

/** The DescribeTrails operation for the deployment's trail settings. */
export function describeTrailsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'DescribeTrails', unknown>('DescribeTrails', {
    // The Service Authorization Reference gives DescribeTrails no resource type.
    resource: () => '*',
    execute(input, ctx): DescribeTrailsResponse {
      const caller = { accountId: ctx.caller.accountId, region: ctx.region };
      return { trailList: describesAccountTrail(input, caller, settings) ? [trailShape(accountTrail(caller.accountId, settings))] : [] };
    },
  });
}
