/**
 * cloudtrail:StartLogging and cloudtrail:StopLogging on the trail's ARN: the trail's delivery to
 * the export starts or stops (services/cloudtrail/trail-logging.ts); recording, and LookupEvents,
 * go on. Both are write management events, recorded like any other call.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartLogging.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html
 */
import { parseTrailReference, type TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { setTrailLogging, type TrailLoggingDeps } from '../../../../services/cloudtrail/trail-logging.js';
import { cloudTrailOperation } from '../../../define-operation.js';
import type { StartLoggingResponse, StopLoggingResponse } from '../../../model/cloudtrail-types.js';
import { trailResource } from './trail-resource.js';

/** The StartLogging operation for the deployment's trail settings. */
export function startLoggingOperation(settings: TrailSettings) {
  return cloudTrailOperation<'StartLogging', TrailLoggingDeps>('StartLogging', {
    resource: (input, ctx) => trailResource(input.Name, ctx),
    async execute(input, ctx, deps): Promise<StartLoggingResponse> {
      await setTrailLogging(deps, settings, parseTrailReference(input.Name), true, ctx);
      return {};
    },
  });
}

/** The StopLogging operation for the deployment's trail settings. */
export function stopLoggingOperation(settings: TrailSettings) {
  return cloudTrailOperation<'StopLogging', TrailLoggingDeps>('StopLogging', {
    resource: (input, ctx) => trailResource(input.Name, ctx),
    async execute(input, ctx, deps): Promise<StopLoggingResponse> {
      await setTrailLogging(deps, settings, parseTrailReference(input.Name), false, ctx);
      return {};
    },
  });
}
