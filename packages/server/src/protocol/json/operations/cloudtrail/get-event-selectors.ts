/**
 * cloudtrail:GetEventSelectors: what the trail records, as advanced event selectors
 * ({@link RECORDED_EVENTS}).
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html
 */
import { findAccountTrail, parseTrailReference, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { GetEventSelectorsResponse } from '../../../model/cloudtrail-types.js';
import { trailResource } from './trail-resource.js';
import { RECORDED_EVENTS } from './trail-wire.js';

/** The GetEventSelectors operation for the deployment's trail settings. */
export function getEventSelectorsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'GetEventSelectors', unknown>('GetEventSelectors', {
    resource: (input, ctx) => trailResource(input.TrailName, ctx),
    execute(input, ctx): GetEventSelectorsResponse {
      const trail = findAccountTrail(parseTrailReference(input.TrailName), { accountId: ctx.caller.accountId, region: ctx.region }, settings);
      return { TrailARN: trail.arn, AdvancedEventSelectors: RECORDED_EVENTS.map((s) => structuredClone(s)) };
    },
  });
}
