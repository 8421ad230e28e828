/**
 * cloudtrail:PutEventSelectors on the trail's ARN: basic or advanced selectors, checked and stored
 * (services/cloudtrail/event-selectors.ts), answered back as stored. Recorded as a write event.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html
 */
import { parseTrailReference, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { checkedEventSelectors, putEventSelectors, type EventSelectorsDeps } from '../../../../services/cloudtrail/event-selectors.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { PutEventSelectorsResponse } from '../../../model/cloudtrail-types.js';
import { trailResource } from './trail-resource.js';

/** The PutEventSelectors operation for the deployment's trail settings. */
export function putEventSelectorsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'PutEventSelectors', EventSelectorsDeps>('PutEventSelectors', {
    resource: (input, ctx) => trailResource(input.TrailName, ctx),
    async execute(input, ctx, deps): Promise<PutEventSelectorsResponse> {
      const ref = parseTrailReference(input.TrailName);
      const selectors = checkedEventSelectors(input);
      const trail = await putEventSelectors(deps, settings, ref, selectors, ctx);
      return 'basic' in selectors ? { TrailARN: trail.arn, EventSelectors: selectors.basic } : { TrailARN: trail.arn, AdvancedEventSelectors: selectors.advanced };
    },
  });
}
