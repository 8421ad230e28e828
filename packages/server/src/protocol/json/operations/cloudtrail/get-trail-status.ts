/**
 * cloudtrail:GetTrailStatus: `IsLogging` false between StopLogging and StartLogging (the export
 * delivers nothing then; recording goes on), `StartLoggingTime` the latest StartLogging or the
 * account's creation, `StopLoggingTime` the latest StopLogging, the delivery times from the export
 * folder, absent until something has been delivered. Nothing Castellan does not have (S3, SNS or
 * CloudWatch Logs deliveries and their errors) is reported.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
 */
import { parseTrailReference, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { trailStatus, type TrailStatusDeps } from '../../../../services/cloudtrail/trail-status.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { GetTrailStatusResponse } from '../../../model/cloudtrail-types.js';
import { trailResource } from './trail-resource.js';

/** The GetTrailStatus operation for the deployment's trail settings. */
export function getTrailStatusOperation(settings: TrailSettings) {
  return cloudTrailOperation<'GetTrailStatus', TrailStatusDeps>('GetTrailStatus', {
    resource: (input, ctx) => trailResource(input.Name, ctx),
    async execute(input, ctx, deps): Promise<GetTrailStatusResponse> {
      const status = await trailStatus(deps, settings, parseTrailReference(input.Name), { accountId: ctx.caller.accountId, region: ctx.region });
      return {
        IsLogging: status.logging,
        ...(status.startedAt ? { StartLoggingTime: status.startedAt } : {}),
        ...(status.stoppedAt ? { StopLoggingTime: status.stoppedAt } : {}),
        ...(status.latestDelivery ? { LatestDeliveryTime: status.latestDelivery } : {}),
        ...(status.latestDigestDelivery ? { LatestDigestDeliveryTime: status.latestDigestDelivery } : {}),
      };
    },
  });
}
