/**
 * cloudtrail:ListTrails: the account's trails in every region, here its one trail. A single page:
 * Castellan never issues a NextToken, so one sent is refused. The model and the API reference list
 * no token error for ListTrails (only OperationNotPermitted and UnsupportedOperation, plus the common
 * errors), so the refusal is the common validation error ("the input fails to satisfy the
 * constraints"; `ValidationException` on the JSON wire, as for any input the model refuses), not
 * LookupEvents' `InvalidNextTokenException`.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html
 */
import { accountTrail, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { ValidationError } from '../../../../domain/errors.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { ListTrailsResponse } from '../../../model/cloudtrail-types.js';

/** The ListTrails operation for the deployment's trail settings. */
export function listTrailsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'ListTrails', unknown>('ListTrails', {
    // The Service Authorization Reference gives ListTrails no resource type.
    resource: () => '*',
    execute(input, ctx): ListTrailsResponse {
      if (input.NextToken !== undefined) throw new ValidationError('Invalid NextToken.');
      const trail = accountTrail(ctx.caller.accountId, settings);
      return { Trails: [{ TrailARN: trail.arn, Name: trail.name, HomeRegion: trail.homeRegion }] };
    },
  });
}
