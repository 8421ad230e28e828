/**
 * cloudtrail:GetTrail: the caller's trail by name (in its home region) or ARN.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrail.html
 */
import { findAccountTrail, parseTrailReference, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { GetTrailResponse } from '../../../model/cloudtrail-types.js';
import { trailResource } from './trail-resource.js';
import { trailShape } from './trail-wire.js';

/** The GetTrail operation for the deployment's trail settings. */
export function getTrailOperation(settings: TrailSettings) {
  return cloudTrailOperation<'GetTrail', unknown>('GetTrail', {
    resource: (input, ctx) => trailResource(input.Name, ctx),
    execute(input, ctx): GetTrailResponse {
      const trail = findAccountTrail(parseTrailReference(input.Name), { accountId: ctx.caller.accountId, region: ctx.region }, settings);
      return { Trail: trailShape(trail) };
    },
  });
}
