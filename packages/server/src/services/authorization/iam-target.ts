/**
 * Authorization targets of IAM operations: the resource ARN an action is authorized on (from the
 * iam-data catalogue's action -> resource type -> ARN pattern, filled with the entity's real path
 * when it exists) and the condition keys AWS documents for IAM actions (`iam:PermissionsBoundary`,
 * `iam:PolicyARN`, `aws:RequestTag/…`, `aws:TagKeys`, `aws:ResourceTag/…`, `iam:ResourceTag/…`).
 *
 * Operation specs take {@link iamTarget} as their target; the operation factory supplies the
 * action (`iam:<Name>`), so no operation repeats its own name:
 *
 * @example
 * ```ts
 * export const createUser = iamOperation('CreateUser', {
 *   target: iamTarget((i) => ({ userName: i.UserName, path: i.Path, requestTags: i.Tags, permissionsBoundary: i.PermissionsBoundary })),
 *   execute: …,
 * });
 * ```
 * @module
 */
import { formatResourceArn } from '../../catalog/iam-data-catalog.js';
import type { RequestContext } from '../../domain/context.js';
import { PARTITION, parseIamResourceArn } from '../../domain/arn.js';
import type { ConditionContext } from '../../domain/ports/authorizer.js';

export type { ConditionContext };
import type { Tag, TagTarget } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { userWithTagsOnce } from '../request-reads.js';


/**
 * The resource AWS authorizes a listing on: the listed kind's ARN up to the path prefix
 * (`arn:aws:iam::123456789012:user/` by default, `…:user/division_abc/` with `PathPrefix`), as its
 * refusals name it. So a policy scoped to `arn:aws:iam::*:user/division_abc/*` allows listing that
 * path, as on AWS; the service authorization reference lists no resource type for these actions.
 */
export function listedPathArn(ctx: RequestContext, kind: 'user' | 'role' | 'group' | 'instance-profile' | 'mfa', pathPrefix: string | undefined): string {
  return `arn:${PARTITION}:iam::${ctx.caller.accountId}:${kind}${pathPrefix ?? '/'}`;
}

/** What an operation's input names, for its authorization target. */
export interface IamTargetNames {
  /** The user acted on (`UserName`). */
  userName?: string | undefined;
  /**
   * The id of the user acted on, when it is the caller's own user: the service acts on the user of
   * that id, so the target is that user even if `userName` (the caller's name when it
   * authenticated) has since been given up by a rename.
   */
  userId?: string | undefined;
  /** The group acted on (`GroupName`). */
  groupName?: string | undefined;
  /** The role acted on (`RoleName`). */
  roleName?: string | undefined;
  /** The instance profile acted on (`InstanceProfileName`); it is the target even when a role is named too. */
  instanceProfileName?: string | undefined;
  /** The managed policy acted on (`PolicyArn`); for attach/detach also `iam:PolicyARN`. */
  policyArn?: string | undefined;
  /** For creates: the path the new entity gets (`Path`). Existing entities use their real path. */
  path?: string | undefined;
  /** An explicit resource ARN that names no existing entity (a listed path, a policy to create), used as is. */
  arn?: string | undefined;
  /**
   * The ARN of an existing entity the input names (`Arn`, `PolicySourceArn`): the resource as is,
   * and when it is a user, role, group or managed policy of the caller's account, that entity is
   * looked up so its tags (`aws:ResourceTag/…`, for users and roles `iam:ResourceTag/…`) are in
   * the request context, as they are when the input names it by name.
   */
  entityArn?: string | undefined;
  /** The MFA device acted on (`SerialNumber`): its tags are `aws:ResourceTag/…` when it exists in the caller's account. */
  mfaSerialNumber?: string | undefined;
  /** Other placeholders of the action's ARN pattern (`InstanceProfileNameWithPath`, `MfaTokenIdWithPath`…). */
  values?: Record<string, string> | undefined;
  /** `Tags` of the request: `aws:RequestTag/<key>` and `aws:TagKeys`. */
  requestTags?: ReadonlyArray<{ Key: string; Value: string }> | undefined;
  /** `TagKeys` of an Untag request: `aws:TagKeys`. */
  tagKeys?: readonly string[] | undefined;
  /** A boundary the request sets (`PermissionsBoundary`): `iam:PermissionsBoundary`. */
  permissionsBoundary?: string | undefined;
  /** The policy ARN for `iam:PolicyARN` when it is not the target (attach/detach of a user/group/role). */
  attachedPolicyArn?: string | undefined;
  /** Other condition keys the request sets, e.g. `iam:AWSServiceName`. */
  conditionKeys?: Readonly<Record<string, string>> | undefined;
}

/** The entity found for a target, when it exists. */
export interface ResolvedTarget {
  arn: string;
  tags: Tag[];
  /** `iam` keys (`iam:ResourceTag`) apply to users and roles only. */
  iamResourceTags: boolean;
  permissionsBoundaryArn?: string | undefined;
}

/**
 * The condition keys of a user's or role's tags: `aws:ResourceTag/<key>` and `iam:ResourceTag/<key>`,
 * as the Service Authorization Reference gives IAM's `user` and `role` resource types. The keys of
 * any action decided on an existing role (`sts:AssumeRole`, `iam:PassRole`) besides the IAM calls'.
 */
export function iamEntityTagKeys(tags: readonly Tag[]): ConditionContext {
  const out: ConditionContext = {};
  for (const t of tags) {
    out[`aws:ResourceTag/${t.key}`] = t.value;
    out[`iam:ResourceTag/${t.key}`] = t.value;
  }
  return out;
}

/** The `aws:ResourceTag/…` (and for users and roles `iam:ResourceTag/…`) keys of a target's tags, in tag order. */
function resourceTagKeys(entity: ResolvedTarget): ReadonlyArray<readonly [string, string]> {
  const keys = tagKeysOf.get(entity);
  if (keys) return keys;
  const out: Array<readonly [string, string]> = [];
  for (const t of entity.tags) {
    out.push([`aws:ResourceTag/${t.key}`, t.value]);
    if (entity.iamResourceTags) out.push([`iam:ResourceTag/${t.key}`, t.value]);
  }
  return out;
}

/**
 * A user target. From the users-by-name cache (`shared`), one target per cached entry with its tag
 * keys built once; the cache makes a new entry on every change to the user, so they never go stale.
 * A read of its own (no cache) is used once and not remembered.
 */
function userTarget(found: { user: { arn: string; permissionsBoundaryArn?: string | undefined }; tags: Tag[] }, shared: boolean): ResolvedTarget {
  let entity = shared ? userTargets.get(found) : undefined;
  if (!entity) {
    entity = { arn: found.user.arn, tags: found.tags, iamResourceTags: true, permissionsBoundaryArn: found.user.permissionsBoundaryArn };
    if (shared) {
      userTargets.set(found, entity);
      tagKeysOf.set(entity, resourceTagKeys(entity));
    }
  }
  return entity;
}

/** By cached user entry, and by target made from one. */
const userTargets = new WeakMap<object, ResolvedTarget>();
const tagKeysOf = new WeakMap<ResolvedTarget, ReadonlyArray<readonly [string, string]>>();

/** What {@link iamTarget} adds to an operation spec. */
export interface IamTargetSpec<I> {
  resource(input: I, ctx: RequestContext, deps: ServiceDeps): Promise<string>;
  conditionKeys(input: I, ctx: RequestContext, deps: ServiceDeps): Promise<ConditionContext>;
}

/** The NameWithPath placeholder of each IAM entity kind, in iam-data's ARN patterns. */
const PLACEHOLDER = { user: 'UserNameWithPath', group: 'GroupNameWithPath', role: 'RoleNameWithPath', instanceProfile: 'InstanceProfileNameWithPath' } as const;
/** The resource type of each kind in its ARN (`…:instance-profile/path/name`). */
const ARN_TYPE = { user: 'user', group: 'group', role: 'role', instanceProfile: 'instance-profile' } as const;

/**
 * The resource ARN and condition keys of an action for the input's target: given the names, a
 * target for the action the operation factory derives. The target entity is looked up once per
 * request (both functions share the lookup).
 */
export function iamTarget<I extends object>(names: (input: I, ctx: RequestContext, deps: ServiceDeps) => IamTargetNames): (action: string) => IamTargetSpec<I> {
  return (action) => iamTargetFor(action, names);
}

/** {@link iamTarget} for a given action. */
function iamTargetFor<I extends object>(action: string, names: (input: I, ctx: RequestContext, deps: ServiceDeps) => IamTargetNames): IamTargetSpec<I> {
  const lookups = new WeakMap<object, Promise<{ arn: string; entity?: ResolvedTarget }>>();
  const resolve = (input: I, ctx: RequestContext, deps: ServiceDeps) => {
    let hit = lookups.get(input);
    if (!hit) {
      hit = resolveTarget(action, names(input, ctx, deps), ctx, deps);
      lookups.set(input, hit);
    }
    return hit;
  };
  return {
    resource: async (input, ctx, deps) => (await resolve(input, ctx, deps)).arn,
    conditionKeys: async (input, ctx, deps) => {
      const n = names(input, ctx, deps);
      const { entity } = await resolve(input, ctx, deps);
      return targetConditionKeys(n, entity);
    },
  };
}

/**
 * A target spec for an entity kind of its own (server certificates, OIDC providers…): `lookup` finds
 * the ARN and the existing entity once per request input, shared by `resource` and `conditionKeys`.
 */
export function lookedUpTarget<I extends object, N extends IamTargetNames>(
  names: (input: I) => N,
  lookup: (n: N, ctx: RequestContext, deps: ServiceDeps) => Promise<{ arn: string; entity?: ResolvedTarget }>,
): (action: string) => IamTargetSpec<I> {
  return () => {
    const lookups = new WeakMap<object, Promise<{ arn: string; entity?: ResolvedTarget }>>();
    const resolve = (input: I, ctx: RequestContext, deps: ServiceDeps) => {
      let hit = lookups.get(input);
      if (!hit) {
        hit = lookup(names(input), ctx, deps);
        lookups.set(input, hit);
      }
      return hit;
    };
    return {
      resource: async (input, ctx, deps) => (await resolve(input, ctx, deps)).arn,
      conditionKeys: async (input, ctx, deps) => targetConditionKeys(names(input), (await resolve(input, ctx, deps)).entity),
    };
  };
}

/** The condition keys of a request for its target names and the existing target entity. */
export function targetConditionKeys(n: IamTargetNames, entity: ResolvedTarget | undefined): ConditionContext {
  const out: ConditionContext = {};
  if (n.requestTags && n.requestTags.length > 0) {
    for (const t of n.requestTags) out[`aws:RequestTag/${t.Key}`] = t.Value;
    out['aws:TagKeys'] = n.requestTags.map((t) => t.Key);
  }
  if (n.tagKeys && n.tagKeys.length > 0) out['aws:TagKeys'] = [...n.tagKeys];
  const boundary = n.permissionsBoundary ?? entity?.permissionsBoundaryArn;
  if (boundary) out['iam:PermissionsBoundary'] = boundary;
  const policyArn = n.attachedPolicyArn;
  if (policyArn) out['iam:PolicyARN'] = policyArn;
  Object.assign(out, n.conditionKeys);
  if (entity) for (const [key, value] of resourceTagKeys(entity)) out[key] = value;
  return out;
}

/**
 * The entity names of an IAM ARN of the caller's account (looked up by name, as the operations look
 * them up: a wrong path then fails there as NoSuchEntity, after the entity's tags were considered).
 */
function namesOfArn(arn: string, accountId: string): IamTargetNames {
  const parsed = parseIamResourceArn(arn);
  if (!parsed || parsed.accountId !== accountId) return {};
  switch (parsed.type) {
    case 'user':
      return { userName: parsed.name };
    case 'role':
      return { roleName: parsed.name };
    case 'group':
      return { groupName: parsed.name };
    case 'policy':
      return { policyArn: arn };
    default:
      return {};
  }
}

async function resolveTarget(action: string, given: IamTargetNames, ctx: RequestContext, deps: ServiceDeps): Promise<{ arn: string; entity?: ResolvedTarget }> {
  const accountId = ctx.caller.accountId;
  const n = given.entityArn === undefined ? given : { ...given, ...namesOfArn(given.entityArn, accountId), arn: given.entityArn };
  const { store } = deps;
  const tagsOf = async (target: TagTarget): Promise<Tag[]> => (await store.listTags(target, { maxItems: 1000 })).items;

  // The entity named by the input, when it exists: its ARN carries its real path.
  let entity: ResolvedTarget | undefined;
  let kind: 'user' | 'group' | 'role' | 'instanceProfile' | 'policy' | undefined;
  if (n.mfaSerialNumber !== undefined) {
    // Not a `kind`: the device's ARN comes from the action's pattern (`MfaTokenIdWithPath`).
    const d = await store.getMfaDevice(n.mfaSerialNumber);
    if (d && d.accountId === accountId) entity = { arn: d.serialNumber, tags: await tagsOf({ kind: 'mfa', id: d.serialNumber }), iamResourceTags: false };
  }
  if (n.instanceProfileName !== undefined) {
    kind = 'instanceProfile';
    const p = await store.getInstanceProfileByName(accountId, n.instanceProfileName);
    if (p) entity = { arn: p.arn, tags: await tagsOf({ kind: 'instanceProfile', id: p.id }), iamResourceTags: false };
  } else if (n.userName !== undefined) {
    kind = 'user';
    const found = await userWithTagsOnce(deps, ctx, accountId, n.userName);
    if (found && (n.userId === undefined || found.user.id === n.userId)) entity = userTarget(found, deps.userReads !== undefined);
    else if (n.userId !== undefined) {
      // The name no longer (or now another user's): the user of the id, under its current name.
      const u = await store.getUserById(n.userId);
      if (u && u.accountId === accountId) entity = { arn: u.arn, tags: await tagsOf({ kind: 'user', id: u.id }), iamResourceTags: true, permissionsBoundaryArn: u.permissionsBoundaryArn };
    }
  } else if (n.roleName !== undefined) {
    kind = 'role';
    const r = await store.getRoleByName(accountId, n.roleName);
    if (r) entity = { arn: r.arn, tags: await tagsOf({ kind: 'role', id: r.id }), iamResourceTags: true, permissionsBoundaryArn: r.permissionsBoundaryArn };
  } else if (n.groupName !== undefined) {
    kind = 'group';
    const g = await store.getGroupByName(accountId, n.groupName);
    if (g) entity = { arn: g.arn, tags: [], iamResourceTags: false };
  } else if (n.policyArn !== undefined) {
    kind = 'policy';
    const p = await store.getPolicyByArn(n.policyArn);
    if (p) entity = { arn: p.arn, tags: await tagsOf({ kind: 'policy', id: p.id }), iamResourceTags: false };
  }

  if (n.arn) return { arn: n.arn, ...(entity ? { entity } : {}) };
  const info = deps.catalog.action(action);
  if (!info || info.resourceTypes.length === 0) return { arn: '*', ...(entity ? { entity } : {}) };

  const values: Record<string, string> = { Partition: PARTITION, Account: accountId, ...(n.values ?? {}) };
  if (kind === 'policy' && n.policyArn !== undefined) {
    const type = info.resourceTypes.find((rt) => rt.arnPattern.includes('${PolicyNameWithPath}'));
    // AWS-managed and other accounts' policies are authorized on their own ARN.
    if (type) return { arn: n.policyArn, ...(entity ? { entity } : {}) };
  }
  if (kind && kind !== 'policy') {
    const name = kind === 'instanceProfile' ? n.instanceProfileName ?? '' : n.userName ?? n.roleName ?? n.groupName ?? '';
    const withPath = entity ? entity.arn.slice(entity.arn.indexOf(':', 'arn:aws:iam::'.length) + 1 + ARN_TYPE[kind].length + 1) : `${(n.path ?? '/').slice(1)}${name}`;
    values[PLACEHOLDER[kind]] = withPath;
  }
  for (const rt of info.resourceTypes) {
    const arn = formatResourceArn(rt.arnPattern, values);
    if (!arn.includes('${')) return { arn, ...(entity ? { entity } : {}) };
  }
  return { arn: '*', ...(entity ? { entity } : {}) };
}
