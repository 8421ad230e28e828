import type { NamedEntityRow } from './named-entity.js';
import type { Page, PageRequest, PathPageRequest } from './paging.js';
import type { RoleRow } from './role-store.js';

/** An instance profile (id `AIPA…`): a named container for at most one role. */
export type InstanceProfileRow = NamedEntityRow;

/** Input of `createInstanceProfile`. */
export type NewInstanceProfile = InstanceProfileRow;

/** An instance profile with the roles in it, as AWS's InstanceProfile shape lists them. */
export interface InstanceProfileWithRoles {
  profile: InstanceProfileRow;
  roles: RoleRow[];
}

/**
 * Instance profiles and the role each holds. Names are unique per account case-insensitively, as
 * users' and roles' are. A profile holds at most one role (AWS's InstanceSessionsPerInstanceProfile
 * quota, which cannot be raised): the store enforces it with a unique index on the profile, so two
 * concurrent adds leave one role and the other caller gets `StoreConflictError`.
 */
export interface InstanceProfileStore {
  /** Throws `StoreConflictError` if the name exists in the account (any case). */
  createInstanceProfile(input: NewInstanceProfile): Promise<InstanceProfileRow>;
  /** By name, case-insensitively. */
  getInstanceProfileByName(accountId: string, name: string): Promise<InstanceProfileRow | undefined>;
  /** `ListInstanceProfiles`, in name order. */
  listInstanceProfiles(req: { accountId: string } & PathPageRequest): Promise<Page<InstanceProfileRow>>;
  /** `ListInstanceProfilesForRole`, in name order. */
  listInstanceProfilesForRole(roleId: string, page?: PageRequest): Promise<Page<InstanceProfileRow>>;
  /** Every profile of each role (one page of GetAccountAuthorizationDetails), in name order, by role id; a role in no profile is absent. */
  listAllInstanceProfilesForRoles(roleIds: string[]): Promise<Map<string, InstanceProfileRow[]>>;
  /** The roles in a profile (zero or one). */
  listInstanceProfileRoles(profileId: string): Promise<RoleRow[]>;
  /** How many instance profiles the account has (`GetAccountSummary`). */
  countInstanceProfiles(accountId: string): Promise<number>;
  /**
   * Puts the role in the profile. `StoreConflictError` if the profile already holds a role;
   * `StoreReferenceError` if either does not exist.
   */
  addRoleToInstanceProfile(input: { accountId: string; profileId: string; roleId: string }): Promise<void>;
  /** Takes the role out of the profile; `false` if it was not in it. */
  removeRoleFromInstanceProfile(profileId: string, roleId: string): Promise<boolean>;
  /**
   * Deletes the profile and its tags. `StoreReferenceError` while it holds a role; a role in a
   * profile likewise cannot be deleted (`deleteRole` throws `StoreReferenceError`).
   */
  deleteInstanceProfile(id: string): Promise<boolean>;
}
