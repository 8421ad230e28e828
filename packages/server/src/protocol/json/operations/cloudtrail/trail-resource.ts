/**
 * The resource a trail operation is authorized on: the ARN its name or ARN designates. The form
 * is checked first (`InvalidTrailNameException`, another account's ARN), so a malformed name is
 * refused as AWS refuses it, whatever the caller's permissions.
 *
 * @module
 */
import type { RequestContext } from '../../../../domain/context.js';
import { parseTrailReference, referencedTrailArn } from '../../../../services/cloudtrail/account-trail.js';

/** The trail ARN `nameOrArn` designates for the caller of `ctx`. */
export function trailResource(nameOrArn: string, ctx: RequestContext): string {
  return referencedTrailArn(parseTrailReference(nameOrArn), { accountId: ctx.caller.accountId, region: ctx.region });
}
