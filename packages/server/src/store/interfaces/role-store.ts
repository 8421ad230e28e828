import type { NamedEntityRow } from './named-entity.js';
import type { Page, PathPageRequest } from './paging.js';

/** An IAM role (id `AROA…`). */
export interface RoleRow extends NamedEntityRow {
  /** The trust policy, as JSON text (not URL-encoded). */
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds, 3600–43200. */
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  /** `RoleLastUsed.LastUsedDate`. */
  lastUsedDate?: Date;
  /** `RoleLastUsed.Region`. */
  lastUsedRegion?: string;
}

/** Input of `createRole`. */
export type NewRole = Omit<RoleRow, 'lastUsedDate' | 'lastUsedRegion'>;

/** One use of a role (an `AssumeRole`), for the batched last-used writer. */
export interface RoleUse {
  roleId: string;
  usedAt: Date;
  region: string;
}

/** IAM roles. */
export interface RoleStore {
  /** Throws `StoreConflictError` if the name exists in the account (any case). */
  createRole(input: NewRole): Promise<RoleRow>;
  /** By unique id. */
  getRoleById(id: string): Promise<RoleRow | undefined>;
  /** The ARNs of the roles among `ids` that exist, by id (a page of trust policies shown at once). */
  getRoleArnsByIds(ids: readonly string[]): Promise<Map<string, string>>;
  /** By name, case-insensitively. */
  getRoleByName(accountId: string, name: string): Promise<RoleRow | undefined>;
  /** `ListRoles`. */
  listRoles(req: { accountId: string } & PathPageRequest): Promise<Page<RoleRow>>;
  /** `UpdateRole`, `UpdateRoleDescription`, `UpdateAssumeRolePolicy`, boundaries (`null` clears). */
  updateRole(id: string, patch: {
    description?: string | null;
    maxSessionDuration?: number;
    assumeRolePolicyDocument?: string;
    permissionsBoundaryArn?: string | null;
  }): Promise<RoleRow | undefined>;
  /** Deletes the role and its tags. `StoreReferenceError` while it has inline or attached policies. */
  deleteRole(id: string): Promise<boolean>;
  /** Records role uses in one write; for each role the latest use wins, and dates never go back. */
  recordRoleUse(batch: RoleUse[]): Promise<void>;
}
