import type { NamedEntityRow } from './named-entity.js';
import type { Page, PathPageRequest } from './paging.js';
import type { Tag } from './tag-store.js';

/** An IAM user (id `AIDA…`). */
export interface UserRow extends NamedEntityRow {
  permissionsBoundaryArn?: string;
  /** When the user last signed in with their password. */
  passwordLastUsed?: Date;
}

/** Input of `createUser`. */
export type NewUser = Omit<UserRow, 'passwordLastUsed'>;

/** IAM users. */
export interface UserStore {
  /** Throws `StoreConflictError` if the name exists in the account (any case) or the id exists. */
  createUser(input: NewUser): Promise<UserRow>;
  /** By unique id. */
  getUserById(id: string): Promise<UserRow | undefined>;
  /** The ARNs of the users among `ids` that exist, by id (a page of trust policies shown at once). */
  getUserArnsByIds(ids: readonly string[]): Promise<Map<string, string>>;
  /** By name, case-insensitively. */
  getUserByName(accountId: string, name: string): Promise<UserRow | undefined>;
  /**
   * By name, case-insensitively, with its tags in `listTags` order: what `getUserByName` and
   * `listTags` answer, in one query (a user has at most 50 tags).
   */
  getUserWithTags(accountId: string, name: string): Promise<{ user: UserRow; tags: Tag[] } | undefined>;
  /** `ListUsers`: ordered by name case-insensitively. */
  listUsers(req: { accountId: string } & PathPageRequest): Promise<Page<UserRow>>;
  /**
   * `UpdateUser` (rename/move: pass the new `arn` too) and `Put/DeleteUserPermissionsBoundary`
   * (`null` clears). A rename onto a taken name throws `StoreConflictError`. Memberships,
   * policies, keys and tags follow the user since they reference its id.
   */
  updateUser(id: string, patch: { name?: string; path?: string; arn?: string; permissionsBoundaryArn?: string | null }): Promise<UserRow | undefined>;
  /**
   * Deletes the user and its tags. Throws `StoreReferenceError` while it still has access keys,
   * a login profile, group memberships, inline or attached policies (services check these first
   * and answer `DeleteConflict`; the foreign keys make the rule hold under races too).
   */
  deleteUser(id: string): Promise<boolean>;
  /** Records a console sign-in (`PasswordLastUsed`). Never moves the date backwards. */
  recordUserPasswordUse(userId: string, usedAt: Date): Promise<void>;
}
