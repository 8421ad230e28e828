/**
 * IAM instance profiles: CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles,
 * DeleteInstanceProfile, AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile,
 * ListInstanceProfilesForRole and instance profile tags. A profile holds at most one role
 * (AWS's InstanceSessionsPerInstanceProfile quota of 1, which cannot be raised); neither a
 * profile holding a role nor a role in a profile can be deleted (DeleteConflict), as on AWS.
 *
 * @module
 */
import { instanceProfileArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { DeleteConflictError, EntityAlreadyExistsError, NoSuchEntityError } from '../../domain/errors.js';
import type { InstanceProfile, Page, Tag } from '../../domain/iam-entities.js';
import { StoreConflictError, StoreReferenceError } from '../../store/store-errors.js';
import type { InstanceProfileRow, RoleRow, Store } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { toInstanceProfile, toPage, toTags } from './entity-views.js';
import { allEntityTags, listEntityTags, putEntityTags, tagEntity, untagEntity, type TaggableKind } from './entity-tags.js';
import { checkTags, pageRequest, quotaExceeded, withMarker, type PagingInput } from './identity-common.js';

import { refuseProtectedRole } from './protected-roles.js';
import { REMOVE_ROLES_FIRST, requireRole } from './roles.js';
import { withShownTrust, withShownTrusts } from './trust-principals.js';
/** AWS's quota name and value for the roles of one instance profile. */
const ROLES_PER_PROFILE = { name: 'InstanceSessionsPerInstanceProfile', limit: 1 } as const;

/** An instance profile with its tags, as CreateInstanceProfile and GetInstanceProfile answer. */
export interface InstanceProfileWithTags {
  instanceProfile: InstanceProfile;
  tags: Tag[];
}

export function noSuchInstanceProfile(name: string): NoSuchEntityError {
  return new NoSuchEntityError(`Instance Profile ${name} cannot be found.`);
}

function instanceProfileExists(name: string): EntityAlreadyExistsError {
  return new EntityAlreadyExistsError(`Instance Profile ${name} already exists.`);
}

/** The instance profile `name` of the account, or NoSuchEntity. */
export async function requireInstanceProfile(store: Store, accountId: string, name: string): Promise<InstanceProfileRow> {
  const profile = await store.getInstanceProfileByName(accountId, name);
  if (!profile) throw noSuchInstanceProfile(name);
  return profile;
}

// Instance profile tag keys compare case-sensitively, as every IAM resource's but users' and roles'.
const INSTANCE_PROFILE_TAGS: TaggableKind = { kind: 'instanceProfile', quotaName: 'TagsPerInstanceProfile', checkTags, find: requireInstanceProfile };

async function withRoles(store: Store, profile: InstanceProfileRow): Promise<InstanceProfile> {
  const roles = await store.listInstanceProfileRoles(profile.id);
  return toInstanceProfile(profile, await withShownTrusts(store, roles));
}

/** CreateInstanceProfile: an empty profile, with its path and tags. */
export async function createInstanceProfile(
  deps: ServiceDeps,
  input: { instanceProfileName: string; path?: string | undefined; tags?: Tag[] | undefined },
  ctx: RequestContext,
): Promise<InstanceProfileWithTags> {
  const accountId = ctx.caller.accountId;
  const path = input.path ?? '/';
  const tags = input.tags ?? [];
  checkTags(tags);
  return deps.store.transaction(async (tx) => {
    await tx.lockForUpdate({ kind: 'account', id: accountId });
    if (await tx.getInstanceProfileByName(accountId, input.instanceProfileName)) throw instanceProfileExists(input.instanceProfileName);
    if ((await tx.countInstanceProfiles(accountId)) >= deps.quotas.instanceProfilesPerAccount) {
      throw quotaExceeded('InstanceProfilesPerAccount', deps.quotas.instanceProfilesPerAccount);
    }
    let profile: InstanceProfileRow;
    try {
      profile = await tx.createInstanceProfile({
        accountId,
        id: deps.ids.uniqueId('AIPA'),
        name: input.instanceProfileName,
        path,
        arn: instanceProfileArn(accountId, path, input.instanceProfileName),
        createDate: ctx.now,
      });
    } catch (err) {
      if (err instanceof StoreConflictError) throw instanceProfileExists(input.instanceProfileName);
      throw err;
    }
    if (tags.length > 0) await putEntityTags(tx, INSTANCE_PROFILE_TAGS, profile.id, tags);
    return { instanceProfile: toInstanceProfile(profile, []), tags: toTags(tags) };
  });
}

/** GetInstanceProfile: with its role and tags. */
export async function getInstanceProfile(deps: ServiceDeps, input: { instanceProfileName: string }, ctx: RequestContext): Promise<InstanceProfileWithTags> {
  const profile = await requireInstanceProfile(deps.store, ctx.caller.accountId, input.instanceProfileName);
  return { instanceProfile: await withRoles(deps.store, profile), tags: toTags(await allEntityTags(deps.store, 'instanceProfile', profile.id)) };
}

/** ListInstanceProfiles: PathPrefix and paging; each profile with its role (AWS lists no tags here). */
export async function listInstanceProfiles(
  deps: ServiceDeps,
  input: { pathPrefix?: string | undefined } & PagingInput,
  ctx: RequestContext,
): Promise<Page<InstanceProfile>> {
  const page = await withMarker(() =>
    deps.store.listInstanceProfiles({ accountId: ctx.caller.accountId, ...(input.pathPrefix !== undefined ? { pathPrefix: input.pathPrefix } : {}), ...pageRequest(input) }),
  );
  const rolesOf: RoleRow[][] = [];
  for (const profile of page.items) rolesOf.push(await deps.store.listInstanceProfileRoles(profile.id));
  // The page's trust policies are shown together: one read of the users and roles they name.
  const shown = await withShownTrusts(deps.store, rolesOf.flat());
  let next = 0;
  const items = page.items.map((profile, i) => toInstanceProfile(profile, shown.slice(next, (next += rolesOf[i]!.length))));
  return { items, isTruncated: page.isTruncated, ...(page.marker !== undefined ? { marker: page.marker } : {}) };
}

/** ListInstanceProfilesForRole: the profiles holding the role, each with its role. */
export async function listInstanceProfilesForRole(deps: ServiceDeps, input: { roleName: string } & PagingInput, ctx: RequestContext): Promise<Page<InstanceProfile>> {
  const role = await withShownTrust(deps.store, await requireRole(deps.store, ctx.caller.accountId, input.roleName));
  const page = await withMarker(() => deps.store.listInstanceProfilesForRole(role.id, pageRequest(input)));
  return toPage(page, (profile) => toInstanceProfile(profile, [role]));
}

/** DeleteInstanceProfile: DeleteConflict while it holds a role, as AWS. */
export async function deleteInstanceProfile(deps: ServiceDeps, input: { instanceProfileName: string }, ctx: RequestContext): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const profile = await requireInstanceProfile(tx, ctx.caller.accountId, input.instanceProfileName);
    await tx.lockForUpdate({ kind: 'instanceProfile', id: profile.id });
    if ((await tx.listInstanceProfileRoles(profile.id)).length > 0) throw new DeleteConflictError(REMOVE_ROLES_FIRST);
    try {
      await tx.deleteInstanceProfile(profile.id);
    } catch (err) {
      if (err instanceof StoreReferenceError) throw new DeleteConflictError(REMOVE_ROLES_FIRST);
      throw err;
    }
    // Registrations name their profile: a later profile of the same name (holding another role)
    // must not serve the workloads of this one, so they are revoked with it.
    for (const r of await tx.listWorkloadRegistrations()) {
      if (r.accountId === profile.accountId && r.instanceProfileName === profile.name && !r.revokedAt) await tx.revokeWorkloadRegistration(r.id, ctx.now);
    }
  });
}

/**
 * AddRoleToInstanceProfile: a profile holds one role; a second is LimitExceeded with AWS's quota
 * text. A service-linked role, which only its service may assume, is UnmodifiableEntity.
 */
export async function addRoleToInstanceProfile(deps: ServiceDeps, input: { instanceProfileName: string; roleName: string }, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  await deps.store.transaction(async (tx) => {
    const profile = await requireInstanceProfile(tx, accountId, input.instanceProfileName);
    const role = await requireRole(tx, accountId, input.roleName);
    refuseProtectedRole(role);
    await tx.lockForUpdate({ kind: 'instanceProfile', id: profile.id });
    const held = await tx.listInstanceProfileRoles(profile.id);
    if (held.length >= ROLES_PER_PROFILE.limit) throw quotaExceeded(ROLES_PER_PROFILE.name, ROLES_PER_PROFILE.limit);
    try {
      await tx.addRoleToInstanceProfile({ accountId, profileId: profile.id, roleId: role.id });
    } catch (err) {
      if (err instanceof StoreConflictError) throw quotaExceeded(ROLES_PER_PROFILE.name, ROLES_PER_PROFILE.limit);
      throw err;
    }
  });
}

/** RemoveRoleFromInstanceProfile: NoSuchEntity when the profile, the role, or the link is missing. */
export async function removeRoleFromInstanceProfile(deps: ServiceDeps, input: { instanceProfileName: string; roleName: string }, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  await deps.store.transaction(async (tx) => {
    const profile = await requireInstanceProfile(tx, accountId, input.instanceProfileName);
    const role = await requireRole(tx, accountId, input.roleName);
    if (!(await tx.removeRoleFromInstanceProfile(profile.id, role.id))) {
      throw new NoSuchEntityError(`The role with name ${input.roleName} cannot be found in the instance profile ${input.instanceProfileName}.`);
    }
  });
}

/** TagInstanceProfile: adds or overwrites tags (keys case-sensitive), at most 50. */
export async function tagInstanceProfile(deps: ServiceDeps, input: { instanceProfileName: string; tags: Tag[] }, ctx: RequestContext): Promise<void> {
  await tagEntity(deps, INSTANCE_PROFILE_TAGS, input.instanceProfileName, input.tags, ctx);
}

/** UntagInstanceProfile: absent keys are ignored. */
export async function untagInstanceProfile(deps: ServiceDeps, input: { instanceProfileName: string; tagKeys: string[] }, ctx: RequestContext): Promise<void> {
  await untagEntity(deps, INSTANCE_PROFILE_TAGS, input.instanceProfileName, input.tagKeys, ctx);
}

/** ListInstanceProfileTags, in the order the tags were added. */
export async function listInstanceProfileTags(deps: ServiceDeps, input: { instanceProfileName: string } & PagingInput, ctx: RequestContext): Promise<Page<Tag>> {
  return listEntityTags(deps, INSTANCE_PROFILE_TAGS, input.instanceProfileName, input, ctx);
}
