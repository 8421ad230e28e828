/**
 * IAM groups and their members: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
 * AddUserToGroup, RemoveUserFromGroup and ListGroupsForUser.
 *
 * @module
 */
import { groupArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { DeleteConflictError, EntityAlreadyExistsError, NoSuchEntityError } from '../../domain/errors.js';
import { StoreConflictError, StoreLimitError, StoreReferenceError } from '../../store/store-errors.js';
import type { Group, Page, User } from '../../domain/iam-entities.js';
import type { GroupRow, Store } from '../../store/store.js';
import { toGroup, toPage, toUser } from './entity-views.js';
import type { ServiceDeps } from '../service-deps.js';
import { pageRequest, quotaExceeded, requireGroup, requireUser, withMarker, type PagingInput } from './identity-common.js';

/** CreateGroup. */
export async function createGroup(deps: ServiceDeps, input: { groupName: string; path?: string | undefined }, ctx: RequestContext): Promise<Group> {
  const accountId = ctx.caller.accountId;
  const path = input.path ?? '/';
  return deps.store.transaction(async (tx) => {
    // The account row lock serializes count-then-insert for the per-account group quota.
    await tx.lockForUpdate({ kind: 'account', id: accountId });
    if (await tx.getGroupByName(accountId, input.groupName)) throw groupExists(input.groupName);
    if ((await tx.countAccountEntities(accountId, 'groups')) >= deps.quotas.groupsPerAccount) throw quotaExceeded('GroupsPerAccount', deps.quotas.groupsPerAccount);
    try {
      const group = await tx.createGroup({
        accountId,
        id: deps.ids.uniqueId('AGPA'),
        name: input.groupName,
        path,
        arn: groupArn(accountId, path, input.groupName),
        createDate: ctx.now,
      });
      return toGroup(group);
    } catch (err) {
      if (err instanceof StoreConflictError) throw groupExists(input.groupName);
      throw err;
    }
  });
}

/** GetGroup: the group and one page of its members. */
export async function getGroup(deps: ServiceDeps, input: { groupName: string } & PagingInput, ctx: RequestContext): Promise<{ group: Group; users: Page<User> }> {
  const group = await requireGroup(deps.store, ctx.caller.accountId, input.groupName);
  const users = await withMarker(() => deps.store.listGroupMembers(group.id, pageRequest(input)));
  return { group: toGroup(group), users: toPage(users, toUser) };
}

/** ListGroups. */
export async function listGroups(deps: ServiceDeps, input: { pathPrefix?: string | undefined } & PagingInput, ctx: RequestContext): Promise<Page<Group>> {
  const page = await withMarker(() =>
    deps.store.listGroups({ accountId: ctx.caller.accountId, ...(input.pathPrefix !== undefined ? { pathPrefix: input.pathPrefix } : {}), ...pageRequest(input) }),
  );
  return toPage(page, toGroup);
}

/** UpdateGroup: rename (`newGroupName`) and/or move (`newPath`); members and policies follow. */
export async function updateGroup(
  deps: ServiceDeps,
  input: { groupName: string; newGroupName?: string | undefined; newPath?: string | undefined },
  ctx: RequestContext,
): Promise<Group> {
  const accountId = ctx.caller.accountId;
  return deps.store.transaction(async (tx) => {
    const group = await requireGroup(tx, accountId, input.groupName);
    const name = input.newGroupName ?? group.name;
    const path = input.newPath ?? group.path;
    if (name.toLowerCase() !== group.name.toLowerCase() && (await tx.getGroupByName(accountId, name))) throw groupExists(name);
    try {
      const updated = await tx.updateGroup(group.id, { name, path, arn: groupArn(accountId, path, name) });
      if (!updated) throw new NoSuchEntityError(`The group with name ${input.groupName} cannot be found.`);
      return toGroup(updated);
    } catch (err) {
      if (err instanceof StoreConflictError) throw groupExists(name);
      throw err;
    }
  });
}

/** DeleteGroup: members, inline and attached policies must go first (DeleteConflict). */
export async function deleteGroup(deps: ServiceDeps, input: { groupName: string }, ctx: RequestContext): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const group = await requireGroup(tx, ctx.caller.accountId, input.groupName);
    await tx.lockForUpdate({ kind: 'group', id: group.id });
    await checkGroupDeletable(tx, group);
    try {
      await tx.deleteGroup(group.id);
    } catch (err) {
      if (err instanceof StoreReferenceError) throw new DeleteConflictError('Cannot delete entity, must remove referenced objects first.');
      throw err;
    }
  });
}

async function checkGroupDeletable(tx: Store, group: GroupRow): Promise<void> {
  const conflict = (what: string) => new DeleteConflictError(`Cannot delete entity, must ${what} first.`);
  if ((await tx.listGroupMembers(group.id, { maxItems: 1 })).items.length > 0) throw conflict('remove users from group');
  const entity = { kind: 'group' as const, id: group.id };
  if ((await tx.listInlinePolicies(entity, { maxItems: 1 })).items.length > 0) throw conflict('delete policies');
  if ((await tx.listAttachedPolicies(entity, { maxItems: 1 })).items.length > 0) throw conflict('detach all policies');
}

/** AddUserToGroup: idempotent, as in AWS; a user may be in at most 10 groups. */
export async function addUserToGroup(deps: ServiceDeps, input: { groupName: string; userName: string }, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  const group = await requireGroup(deps.store, accountId, input.groupName);
  const user = await requireUser(deps.store, accountId, input.userName);
  try {
    await deps.store.addUserToGroup({ groupId: group.id, userId: user.id, maxGroupsPerUser: deps.quotas.groupsPerUser });
  } catch (err) {
    if (err instanceof StoreLimitError) throw quotaExceeded('GroupsPerUser', deps.quotas.groupsPerUser);
    throw err;
  }
}

/** RemoveUserFromGroup: NoSuchEntity when the user is not a member. */
export async function removeUserFromGroup(deps: ServiceDeps, input: { groupName: string; userName: string }, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  const group = await requireGroup(deps.store, accountId, input.groupName);
  const user = await requireUser(deps.store, accountId, input.userName);
  if (!(await deps.store.removeUserFromGroup({ groupId: group.id, userId: user.id }))) {
    throw new NoSuchEntityError(`The user with name ${input.userName} cannot be found in group ${group.name}.`);
  }
}

/** ListGroupsForUser. */
export async function listGroupsForUser(deps: ServiceDeps, input: { userName: string } & PagingInput, ctx: RequestContext): Promise<Page<Group>> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
  return toPage(await withMarker(() => deps.store.listGroupsForUser(user.id, pageRequest(input))), toGroup);
}

function groupExists(name: string): EntityAlreadyExistsError {
  return new EntityAlreadyExistsError(`Group with name ${name} already exists.`);
}
