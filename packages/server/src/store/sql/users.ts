import type { Tag, UserRow, UserStore } from '../store.js';
import { date, ms, optionalDate } from './columns.js';
import { LISTED_ENTITY_COLUMNS, NamedEntityTableStore, listedEntityFields, namedEntityColumns, namedEntityFields, type NamedEntityTableSpec } from './named-entities.js';
import { PreparedRead } from './prepared-reads.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

// A user and its tags in one statement: one row per tag (one row with null tag columns when it
// has none), in tag order. Every GetUser (and its authorization) reads both.
const USER_WITH_TAGS = new PreparedRead(2, (db, accountId: string, nameLower: string) =>
  db.selectFrom('users').leftJoin('tags', 'tags.target_id', 'users.id').selectAll('users')
    .select(['tags.key as tag_key', 'tags.value as tag_value'])
    .where('users.account_id', '=', accountId).where('users.name_lower', '=', nameLower).orderBy('tags.position'));

/** The `users` table as a named-entity table. @internal */
export const USERS: NamedEntityTableSpec<'users', UserRow> = {
  table: 'users',
  listingTag: 'users',
  toRow: toUser,
  listed: {
    columns: [...LISTED_ENTITY_COLUMNS, 'permissions_boundary_arn', 'password_last_used'],
    toRow(values, accountId) {
      // As `toUser`, without the record: the optional fields added only when set.
      const row: UserRow = listedEntityFields(values, accountId);
      if (values[5] !== null) row.permissionsBoundaryArn = values[5] as string;
      if (values[6] !== null) row.passwordLastUsed = date(values[6] as number | string);
      return row;
    },
  },
};

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
    getUserArnsByIds: (ids) => users.arnsByIds(ids),
    getUserByName: (accountId, name) => users.getByName(accountId, name),
    async getUserWithTags(accountId, name) {
      const rows = await USER_WITH_TAGS.all(ctx, accountId, name.toLowerCase());
      if (rows.length === 0) return undefined;
      const tags: Tag[] = [];
      for (const r of rows) if (r.tag_key !== null && r.tag_value !== null) tags.push({ key: r.tag_key, value: r.tag_value });
      return { user: toUser(rows[0]!), tags };
    },
    listUsers: (req) => users.list(req),
    updateUser: (id, patch) => users.update(id, patch, patch.permissionsBoundaryArn !== undefined ? { permissions_boundary_arn: patch.permissionsBoundaryArn } : {}),
    deleteUser: (id) => users.delete(id),
    async recordUserPasswordUse(userId, usedAt) {
      return ctx.write(async (ctx) => {
        const at = ms(usedAt);
        await ctx.db.updateTable('users').set({ password_last_used: at }).where('id', '=', userId)
          .where((eb) => eb.or([eb('password_last_used', 'is', null), eb('password_last_used', '<', at)])).execute();
      });
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
