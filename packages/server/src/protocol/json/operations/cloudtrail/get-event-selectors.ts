/**
 * cloudtrail:GetEventSelectors: the selectors PutEventSelectors stored (basic or advanced, as
 * given), or, before any, what the trail records as advanced event selectors
 * ({@link RECORDED_EVENTS}).
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html
 */
import type { TrailStateReadDeps } from '../../../../services/cloudtrail/trail-logging.js';
import { findAccountTrail, parseTrailReference, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { storedEventSelectors } from '../../../../services/cloudtrail/event-selectors.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { GetEventSelectorsResponse } from '../../../model/cloudtrail-types.js';
import { trailResource } from './trail-resource.js';
import { RECORDED_EVENTS } from './trail-wire.js';

/** What GetEventSelectors reads: the trail's stored selectors. */
export type GetEventSelectorsDeps = TrailStateReadDeps;

/** The GetEventSelectors operation for the deployment's trail settings. */
export function getEventSelectorsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'GetEventSelectors', GetEventSelectorsDeps>('GetEventSelectors', {
    resource: (input, ctx) => trailResource(input.TrailName, ctx),
    async execute(input, ctx, deps): Promise<GetEventSelectorsResponse> {
      const trail = findAccountTrail(parseTrailReference(input.TrailName), { accountId: ctx.caller.accountId, region: ctx.region }, settings);
      const stored = await storedEventSelectors(deps.store, ctx.caller.accountId);
      if (!stored) return { TrailARN: trail.arn, AdvancedEventSelectors: RECORDED_EVENTS.map((s) => structuredClone(s)) };
      return 'basic' in stored ? { TrailARN: trail.arn, EventSelectors: stored.basic } : { TrailARN: trail.arn, AdvancedEventSelectors: stored.advanced };
    },
  });
}
