/**
 * How an operation file declares an operation: only what is its own. The factory derives the
 * rest from the operation's name:
 * - the action, `<service>:<Name>` (`iam:CreateUser`);
 * - whether the call is read-only, from AWS's access level of that action (Read and List are
 *   read-only; Write, Permissions management and Tagging are mutations), unless the operation
 *   overrides it with a reason (an action AWS files as Read that writes here);
 * - for a create that takes tags (`TAG_ON_CREATE`), the tagging action (`iam:TagUser`), authorized
 *   too whenever the input carries tags, as AWS does: one table, so no operation file can forget it.
 *
 * @example
 * ```ts
 * export const createUser = iamOperation('CreateUser', {
 *   target: iamTarget((i) => ({ userName: i.UserName, path: i.Path, requestTags: i.Tags })),
 *   execute: async (input, ctx, deps) => …,
 * });
 * ```
 * @module
 */
import type { RequestContext } from '../domain/context.js';
import type { OperationSpec } from '../pipeline/operation-spec.js';
import type { ServiceName } from './service-table.js';
import type { ServiceDeps } from '../services/service-deps.js';
import type { CloudTrailOperationName, CloudTrailOperations } from './model/cloudtrail-types.js';
import type { IamOperationName, IamOperations } from './model/iam-types.js';
import type { StsOperationName, StsOperations } from './model/sts-types.js';
import type { CastellanOperationName, CastellanOperations } from './model/castellan-types.js';
import { tagActionOnCreate } from '@castellan/advisor';
import { CASTELLAN_ACTIONS } from '../catalog/castellan-actions.js';
import { ACCESS_LEVELS, type AccessLevel } from './operation-access-levels.js';

/** What an operation's authorization target supplies, given the operation's action. */
export type OperationTarget<I, D> = Pick<OperationSpec<I, unknown, D>, 'resource'> & Partial<Pick<OperationSpec<I, unknown, D>, 'conditionKeys'>>;

/** The parts of a spec an operation file writes itself. */
type OwnParts<I, O, D> = Omit<OperationSpec<I, O, D>, 'service' | 'name' | 'action' | 'readOnly' | 'resource' | 'conditionKeys'>;

/** Where the action is authorized: a target built for the derived action, or a plain resource. */
type TargetParts<I, D> =
  | { target: (action: string) => OperationTarget<I, D>; resource?: never; conditionKeys?: never }
  | { target?: never; resource(input: I, ctx: RequestContext, deps: D): string | Promise<string>; conditionKeys?: OperationSpec<I, unknown, D>['conditionKeys'] };

/**
 * Read-only comes from AWS's access level. An operation whose level is wrong for Castellan
 * overrides it and says why (`readOnlyBecause`); `iam-operations.test.ts` fails on a `readOnly`
 * that differs from the level without a reason.
 */
interface AccessParts {
  readOnly?: boolean;
  readOnlyBecause?: string;
  /**
   * The action the engine decides instead of the derived `<service>:<Name>`, for a call that stands
   * for another service's action: GetWorkloadCredentials is EC2's `sts:AssumeRole` of an instance
   * role, decided by the role's trust policy.
   */
  authorizedAs?: string;
}

/** What an operation file passes to {@link iamOperation}, {@link stsOperation}, {@link cloudTrailOperation} or {@link castellanOperation}. */
export type OperationDefinition<I, O, D> = OwnParts<I, O, D> & TargetParts<I, D> & AccessParts;

/** A spec built by the factories: the pipeline's {@link OperationSpec}, plus the reason when `readOnly` is overridden. */
export type DefinedOperation<I, O, D> = OperationSpec<I, O, D> & {
  readonly action: string;
  /** Set when `readOnly` differs from what AWS's access level says, and why. */
  readonly readOnlyBecause?: string;
  /** Set when the engine decides another action than `<service>:<Name>`. */
  readonly authorizedAs?: string;
};

/** An operation of any input and output, as a service's list holds it. */
export type AnyOperation<D = ServiceDeps> = DefinedOperation<unknown, unknown, D>;

/** True for the access levels of calls that change nothing: `Read` and `List` (every part of a combined level). */
export function isReadOnlyAccessLevel(level: AccessLevel): boolean {
  return level.split(', ').every((part) => part === 'Read' || part === 'List');
}

/**
 * The access level AWS gives `service:name`, or undefined when the catalogue does not list it.
 * Castellan's own actions take theirs from its model (`com.castellan#iamAction`).
 */
export function accessLevelOf(service: ServiceName, name: string): AccessLevel | undefined {
  if (service === 'castellan') return Object.hasOwn(CASTELLAN_ACTIONS, name) ? CASTELLAN_ACTIONS[name]!.accessLevel : undefined;
  return ACCESS_LEVELS[service]?.[name];
}

function define<I, O, D>(service: ServiceName, name: string, def: OperationDefinition<I, O, D>): DefinedOperation<I, O, D> {
  const { target, readOnly: override, readOnlyBecause, authorizedAs, ...own } = def;
  const action = authorizedAs ?? `${service}:${name}`;
  let readOnly = override;
  if (readOnly === undefined) {
    const level = accessLevelOf(service, name);
    if (level === undefined) throw new Error(`${service}:${name} has no AWS access level: declare readOnly and readOnlyBecause`);
    readOnly = isReadOnlyAccessLevel(level);
  }
  const where = target ? target(action) : {};
  const tagAction = tagActionOnCreate(action);
  if (tagAction) own.alsoAuthorizedActions = withTagOnCreate(tagAction, own.alsoAuthorizedActions);
  return { ...own, ...where, service, name, action, readOnly, ...(readOnlyBecause !== undefined ? { readOnlyBecause } : {}), ...(authorizedAs !== undefined ? { authorizedAs } : {}) } as DefinedOperation<I, O, D>;
}

/**
 * The operation's further actions plus `tagAction` when the input carries tags (an empty `Tags`
 * tags nothing and needs nothing). Decided after the create itself, with the same resource and
 * condition keys (`aws:RequestTag/…`, `aws:TagKeys`), so a refusal names the tagging action as
 * AWS's does and a `RequestTag` condition on it decides as it would on a later TagUser.
 */
function withTagOnCreate<I, D>(tagAction: string, others: OperationSpec<I, unknown, D>['alsoAuthorizedActions']): NonNullable<OperationSpec<I, unknown, D>['alsoAuthorizedActions']> {
  return (input, ctx, deps) => {
    const before = others?.(input, ctx, deps) ?? [];
    const tags = (input as { Tags?: readonly unknown[] } | undefined)?.Tags;
    return tags !== undefined && tags.length > 0 ? [...before, tagAction] : before;
  };
}

/** An IAM operation, typed by the generated wire input/output of `name`. */
export function iamOperation<N extends IamOperationName, D = ServiceDeps>(
  name: N,
  def: OperationDefinition<IamOperations[N]['input'], IamOperations[N]['output'], D>,
): DefinedOperation<IamOperations[N]['input'], IamOperations[N]['output'], D> {
  return define('iam', name, def);
}

/** An STS operation, typed by the generated wire input/output of `name`. */
export function stsOperation<N extends StsOperationName, D = ServiceDeps>(
  name: N,
  def: OperationDefinition<StsOperations[N]['input'], StsOperations[N]['output'], D>,
): DefinedOperation<StsOperations[N]['input'], StsOperations[N]['output'], D> {
  return define('sts', name, def);
}

/**
 * An operation of Castellan's own service (`castellan:<Name>`), typed by the wire input/output
 * generated from `spec/castellan/castellan.json`; its access level is the model's.
 */
export function castellanOperation<N extends CastellanOperationName, D = ServiceDeps>(
  name: N,
  def: OperationDefinition<CastellanOperations[N]['input'], CastellanOperations[N]['output'], D>,
): DefinedOperation<CastellanOperations[N]['input'], CastellanOperations[N]['output'], D> {
  return define('castellan', name, def);
}

/** A CloudTrail operation, typed by the generated wire input/output of `name`. */
export function cloudTrailOperation<N extends CloudTrailOperationName, D = ServiceDeps>(
  name: N,
  def: OperationDefinition<CloudTrailOperations[N]['input'], CloudTrailOperations[N]['output'], D>,
): DefinedOperation<CloudTrailOperations[N]['input'], CloudTrailOperations[N]['output'], D> {
  return define('cloudtrail', name, def);
}
