/**
 * cloudtrail:ListTrails: the account's trails in every region, here its one trail. A single page:
 * Castellan never issues a NextToken, so one sent is refused. The model lists no token error for
 * ListTrails; `InvalidNextTokenException` is CloudTrail's shape for "a token that is not valid"
 * (LookupEvents'), so the SDKs know it.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html
 */
import { accountTrail, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { InvalidNextTokenError } from '../../../../services/cloudtrail/cloudtrail-errors.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { ListTrailsResponse } from '../../../model/cloudtrail-types.js';

/** The ListTrails operation for the deployment's trail settings. */
export function listTrailsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'ListTrails', unknown>('ListTrails', {
    // The Service Authorization Reference gives ListTrails no resource type.
    resource: () => '*',
    execute(input, ctx): ListTrailsResponse {
      if (input.NextToken !== undefined) throw new InvalidNextTokenError('Invalid NextToken.');
      const trail = accountTrail(ctx.caller.accountId, settings);
      return { Trails: [{ TrailARN: trail.arn, Name: trail.name, HomeRegion: trail.homeRegion }] };
    },
  });
}
