import type { UserRow, UserStore } from '../store.js';
import { ms, optionalDate } from './columns.js';
import { NamedEntityTableStore, namedEntityColumns, namedEntityFields, type NamedEntityTableSpec } from './named-entities.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** The `users` table as a named-entity table. @internal */
export const USERS: NamedEntityTableSpec<'users', UserRow> = { table: 'users', listingTag: 'users', toRow: toUser };

/** `UserStore` on SQL. @internal */
export function sqlUserStore(ctx: SqlContext): UserStore {
  const users = new NamedEntityTableStore(ctx, USERS);
  return {
    createUser: (input) => users.insert({
      ...namedEntityColumns(input),
      permissions_boundary_arn: input.permissionsBoundaryArn ?? null,
      password_last_used: null,
    }),
    getUserById: (id) => users.getById(id),
    getUserByName: (accountId, name) => users.getByName(accountId, name),
    listUsers: (req) => users.list(req),
    updateUser: (id, patch) => users.update(id, patch, patch.permissionsBoundaryArn !== undefined ? { permissions_boundary_arn: patch.permissionsBoundaryArn } : {}),
    deleteUser: (id) => users.delete(id),
    async recordUserPasswordUse(userId, usedAt) {
      const at = ms(usedAt);
      await ctx.db.updateTable('users').set({ password_last_used: at }).where('id', '=', userId)
        .where((eb) => eb.or([eb('password_last_used', 'is', null), eb('password_last_used', '<', at)])).execute();
    },
  };
}

function toUser(r: Database['users']): UserRow {
  const passwordLastUsed = optionalDate(r.password_last_used);
  return {
    ...namedEntityFields(r),
    ...(r.permissions_boundary_arn !== null ? { permissionsBoundaryArn: r.permissions_boundary_arn } : {}),
    ...(passwordLastUsed ? { passwordLastUsed } : {}),
  };
}
