/**
 * CloudTrail's own error codes, as domain errors the JSON protocol puts on the wire with the
 * status the CloudTrail model gives them (400, sender fault).
 */
import { AwsError } from '../../domain/errors.js';

/** `LookupAttributes` is not valid: more than one attribute, or a value the key cannot take. */
export class InvalidLookupAttributesError extends AwsError { readonly code = 'InvalidLookupAttributesException'; }
/** `StartTime` is after `EndTime`, or a time is out of range. */
export class InvalidTimeRangeError extends AwsError { readonly code = 'InvalidTimeRangeException'; }
/** `NextToken` was not issued for this request's parameters. */
export class InvalidNextTokenError extends AwsError { readonly code = 'InvalidNextTokenException'; }
/** A `NextToken` ListTags never issued (its model lists `InvalidTokenException`, not `InvalidNextTokenException`). */
export class InvalidTokenError extends AwsError { readonly code = 'InvalidTokenException'; }
/** A parameter that is not valid, e.g. more than 20 ARNs in ListTags' `ResourceIdList`. */
export class InvalidParameterError extends AwsError { readonly code = 'InvalidParameterException'; }
/** `MaxResults` is outside 1..50. */
export class InvalidMaxResultsError extends AwsError { readonly code = 'InvalidMaxResultsException'; }
/** A trail name or ARN that is not in a valid form (the message says which rule it breaks). */
export class InvalidTrailNameError extends AwsError { readonly code = 'InvalidTrailNameException'; }
/** A well-formed trail name or ARN that names no trail of the caller's account. */
export class TrailNotFoundError extends AwsError { readonly code = 'TrailNotFoundException'; }
/** A CloudTrail ARN that is not valid, or names another account's resource. */
export class CloudTrailArnInvalidError extends AwsError { readonly code = 'CloudTrailARNInvalidException'; }
/** A well-formed CloudTrail ARN of the caller's account that names no resource (ListTags). */
export class ResourceNotFoundError extends AwsError { readonly code = 'ResourceNotFoundException'; }
/** An event data store ARN: Castellan has no event data stores. */
export class EventDataStoreNotFoundError extends AwsError { readonly code = 'EventDataStoreNotFoundException'; }
/** GetInsightSelectors on a trail without Insights. */
export class InsightNotEnabledError extends AwsError { readonly code = 'InsightNotEnabledException'; }
/** AddTags would leave more than 50 tags on the trail. */
export class TagsLimitExceededError extends AwsError { readonly code = 'TagsLimitExceededException'; }
/** A tag key or value outside CloudTrail's pattern, or a key given twice. */
export class InvalidTagParameterError extends AwsError { readonly code = 'InvalidTagParameterException'; }
/** Event selectors that break one of PutEventSelectors' rules (the message says which). */
export class InvalidEventSelectorsError extends AwsError { readonly code = 'InvalidEventSelectorsException'; }
/** A trail changed from a Region other than its home Region. */
export class InvalidHomeRegionError extends AwsError { readonly code = 'InvalidHomeRegionException'; }
