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
/** `MaxResults` is outside 1..50. */
export class InvalidMaxResultsError extends AwsError { readonly code = 'InvalidMaxResultsException'; }
