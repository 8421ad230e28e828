/**
 * The account's trail on the wire (CloudTrail's `Trail` shape), and what it records as advanced
 * event selectors. Members Castellan has nothing for (S3 bucket, SNS topic, CloudWatch Logs, KMS
 * key) are absent: the model makes them all optional, and Castellan delivers to a local folder.
 *
 * @module
 */
import type { AccountTrail } from '../../../../services/cloudtrail/account-trail.js';
import type { AdvancedEventSelector, Trail } from '../../../model/cloudtrail-types.js';

/** The `Trail` shape of `trail`. */
export function trailShape(trail: AccountTrail): Trail {
  return {
    Name: trail.name,
    TrailARN: trail.arn,
    HomeRegion: trail.homeRegion,
    // Every region's calls go to the one trail, and IAM/STS (global) calls with them.
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    LogFileValidationEnabled: trail.logFileValidation,
    // It records data events as well as management events: not CloudTrail's default selectors.
    HasCustomEventSelectors: true,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
  };
}

/**
 * What the trail records, as advanced event selectors AWS could return: every management event,
 * read and write (no `readOnly` field). The data events services report through
 * castellan:AuthorizeRequest are recorded too, but are not described here: AWS requires
 * `resources.type` (an AWS resource type such as `AWS::S3::Object`) in a data-event selector, and
 * those services report resource types of their own. Basic `EventSelectors` are not returned either.
 */
export const RECORDED_EVENTS: readonly AdvancedEventSelector[] = [
  { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
];
