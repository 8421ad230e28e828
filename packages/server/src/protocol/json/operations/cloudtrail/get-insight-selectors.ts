/**
 * cloudtrail:GetInsightSelectors: Castellan computes no Insights, so on the caller's trail this is
 * AWS's answer for a trail without them, `InsightNotEnabledException`.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetInsightSelectors.html
 */
import { findAccountTrail, parseTrailReference, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { InsightNotEnabledError } from '../../../../services/cloudtrail/cloudtrail-errors.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { GetInsightSelectorsResponse } from '../../../model/cloudtrail-types.js';
import { trailResource } from './trail-resource.js';

/** The GetInsightSelectors operation for the deployment's trail settings. */
export function getInsightSelectorsOperation(settings: TrailSettings) {
  return cloudTrailOperation<'GetInsightSelectors', unknown>('GetInsightSelectors', {
    resource: (input, ctx) => trailResource(input.TrailName, ctx),
    execute(input, ctx): GetInsightSelectorsResponse {
      const trail = findAccountTrail(parseTrailReference(input.TrailName), { accountId: ctx.caller.accountId, region: ctx.region }, settings);
      throw new InsightNotEnabledError(`Trail ${trail.arn} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.`);
    },
  });
}
