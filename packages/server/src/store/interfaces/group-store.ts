import type { NamedEntityRow } from './named-entity.js';
import type { Page, PageRequest, PathPageRequest } from './paging.js';
import type { UserRow } from './user-store.js';

/** An IAM group (id `AGPA…`). */
export interface GroupRow extends NamedEntityRow {}

/** IAM groups and their members. */
export interface GroupStore {
  /** Throws `StoreConflictError` if the name exists in the account (any case). */
  createGroup(input: GroupRow): Promise<GroupRow>;
  /** By unique id. */
  getGroupById(id: string): Promise<GroupRow | undefined>;
  /** By name, case-insensitively. */
  getGroupByName(accountId: string, name: string): Promise<GroupRow | undefined>;
  /** `ListGroups`. */
  listGroups(req: { accountId: string } & PathPageRequest): Promise<Page<GroupRow>>;
  /** `UpdateGroup` (rename/move; pass the new `arn`). */
  updateGroup(id: string, patch: { name?: string; path?: string; arn?: string }): Promise<GroupRow | undefined>;
  /** Deletes the group. `StoreReferenceError` while it has members, inline or attached policies. */
  deleteGroup(id: string): Promise<boolean>;
  /**
   * `AddUserToGroup`. Idempotent as in AWS: `false` when already a member. With
   * `maxGroupsPerUser`, atomically refuses (`StoreLimitError` quota `groupsPerUser`) a user that is
   * already in that many groups.
   */
  addUserToGroup(input: { groupId: string; userId: string; maxGroupsPerUser?: number }): Promise<boolean>;
  /** `RemoveUserFromGroup`; `false` if the user was not a member. */
  removeUserFromGroup(input: { groupId: string; userId: string }): Promise<boolean>;
  /** `ListGroupsForUser`. */
  listGroupsForUser(userId: string, page?: PageRequest): Promise<Page<GroupRow>>;
  /** Every group of a user, unpaged (authorization loads them all). */
  listAllGroupsForUser(userId: string): Promise<GroupRow[]>;
  /** Every group of each user (one page of GetAccountAuthorizationDetails), in name order, by user id; a user in no group is absent. */
  listAllGroupsForUsers(userIds: string[]): Promise<Map<string, GroupRow[]>>;
  /** `GetGroup`'s member list. */
  listGroupMembers(groupId: string, page?: PageRequest): Promise<Page<UserRow>>;
}
