import type { RoleRow, RoleStore } from '../store.js';
import { ms, optionalDate } from './columns.js';
import { latestBy } from './batches.js';
import { LISTED_ENTITY_COLUMNS, NamedEntityTableStore, namedEntityColumns, namedEntityFields, type NamedEntityTableSpec } from './named-entities.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

// The role's own columns, in the order `ROLES.listed.toRow` reads them after the shared ones.
const ROLE_COLUMNS = ['assume_role_policy_document', 'description', 'max_session_duration', 'permissions_boundary_arn', 'last_used_date', 'last_used_region'] as const;

/** The roles table's spec, shared with the instance-profile listing of a profile's role. @internal */
export const ROLES: NamedEntityTableSpec<'roles', RoleRow> = {
  table: 'roles',
  listingTag: 'roles',
  toRow: toRole,
  listed: {
    columns: [...LISTED_ENTITY_COLUMNS, ...ROLE_COLUMNS],
    // Roles list every column but the account's: the record again, for `toRole`.
    toRow: (v, accountId) => toRole({
      id: v[0] as string, account_id: accountId, name: v[1] as string, name_lower: (v[1] as string).toLowerCase(), path: v[2] as string, arn: v[3] as string,
      create_date: v[4] as number, assume_role_policy_document: v[5] as string, description: v[6] as string | null, max_session_duration: v[7] as number,
      permissions_boundary_arn: v[8] as string | null, last_used_date: v[9] as number | null, last_used_region: v[10] as string | null,
    }),
  },
};

/** `RoleStore` on SQL. @internal */
export function sqlRoleStore(ctx: SqlContext): RoleStore {
  const roles = new NamedEntityTableStore(ctx, ROLES);
  return {
    createRole: (input) => roles.insert({
      ...namedEntityColumns(input),
      assume_role_policy_document: input.assumeRolePolicyDocument,
      description: input.description ?? null,
      max_session_duration: input.maxSessionDuration,
      permissions_boundary_arn: input.permissionsBoundaryArn ?? null,
      last_used_date: null,
      last_used_region: null,
    }),
    getRoleById: (id) => roles.getById(id),
    getRoleArnsByIds: (ids) => roles.arnsByIds(ids),
    getRoleByName: (accountId, name) => roles.getByName(accountId, name),
    listRoles: (req) => roles.list(req),
    updateRole(id, patch) {
      const set: Partial<Database['roles']> = {};
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.maxSessionDuration !== undefined) set.max_session_duration = patch.maxSessionDuration;
      if (patch.assumeRolePolicyDocument !== undefined) set.assume_role_policy_document = patch.assumeRolePolicyDocument;
      if (patch.permissionsBoundaryArn !== undefined) set.permissions_boundary_arn = patch.permissionsBoundaryArn;
      return roles.update(id, {}, set);
    },
    deleteRole: (id) => roles.delete(id),
    async recordRoleUse(batch) {
      const latest = latestBy(batch, (u) => u.roleId, (u) => u.usedAt);
      if (latest.length === 0) return;
      await ctx.atomic(async (tx) => {
        for (const use of latest) {
          const at = ms(use.usedAt);
          await tx.db.updateTable('roles').set({ last_used_date: at, last_used_region: use.region }).where('id', '=', use.roleId)
            .where((eb) => eb.or([eb('last_used_date', 'is', null), eb('last_used_date', '<', at)])).execute();
        }
      });
    },
  };
}

function toRole(r: Database['roles']): RoleRow {
  const lastUsedDate = optionalDate(r.last_used_date);
  return {
    ...namedEntityFields(r),
    assumeRolePolicyDocument: r.assume_role_policy_document,
    ...(r.description !== null ? { description: r.description } : {}),
    maxSessionDuration: Number(r.max_session_duration),
    ...(r.permissions_boundary_arn !== null ? { permissionsBoundaryArn: r.permissions_boundary_arn } : {}),
    ...(lastUsedDate ? { lastUsedDate } : {}),
    ...(r.last_used_region !== null ? { lastUsedRegion: r.last_used_region } : {}),
  };
}
