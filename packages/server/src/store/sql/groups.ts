import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import { IN_CHUNK, chunks, groupBy, unique } from './batches.js';
import type { GroupRow, GroupStore } from '../store.js';
import { LISTED_ENTITY_COLUMNS, NamedEntityTableStore, listedEntityFields, namedEntityColumns, namedEntityFields, type NamedEntityTableSpec } from './named-entities.js';
import type { SqlContext } from './sql-context.js';
import { USERS } from './users.js';

const GROUPS: NamedEntityTableSpec<'groups', GroupRow> = {
  table: 'groups',
  listingTag: 'groups',
  toRow: namedEntityFields,
  listed: { columns: LISTED_ENTITY_COLUMNS, toRow: listedEntityFields },
};

/** `GroupStore` (groups and their members) on SQL. @internal */
export function sqlGroupStore(ctx: SqlContext): GroupStore {
  const groups = new NamedEntityTableStore(ctx, GROUPS);
  const users = new NamedEntityTableStore(ctx, USERS);
  const groupsOf = (userId: string) => ctx.db.selectFrom('group_members').select('group_id as id').where('user_id', '=', userId);
  const membersOf = (groupId: string) => ctx.db.selectFrom('group_members').select('user_id as id').where('group_id', '=', groupId);
  return {
    createGroup: (input) => groups.insert(namedEntityColumns(input)),
    getGroupById: (id) => groups.getById(id),
    getGroupByName: (accountId, name) => groups.getByName(accountId, name),
    listGroups: (req) => groups.list(req),
    updateGroup: (id, patch) => groups.update(id, patch),
    deleteGroup: (id) => groups.delete(id),
    addUserToGroup: (input) => ctx.atomic(async (tx) => {
      const db = tx.db;
      const group = await db.selectFrom('groups').select('account_id').where('id', '=', input.groupId).executeTakeFirst();
      if (!group) throw new StoreReferenceError('group_members.group_id');
      if (!(await tx.lockRow('users', input.userId))) throw new StoreReferenceError('group_members.user_id');
      const existing = await db.selectFrom('group_members').select('user_id')
        .where('group_id', '=', input.groupId).where('user_id', '=', input.userId).executeTakeFirst();
      if (existing) return false;
      if (input.maxGroupsPerUser !== undefined) {
        const n = await tx.count(db.selectFrom('group_members').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', input.userId));
        if (n >= input.maxGroupsPerUser) throw new StoreLimitError('groupsPerUser', input.maxGroupsPerUser);
      }
      await db.insertInto('group_members').values({ group_id: input.groupId, user_id: input.userId, account_id: group.account_id }).execute();
      return true;
    }),
    async removeUserFromGroup(input) {
      const result = await ctx.db.deleteFrom('group_members').where('group_id', '=', input.groupId).where('user_id', '=', input.userId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    listGroupsForUser: (userId, page = {}) => groups.listMembers(groupsOf(userId), page, 'user-groups'),
    listAllGroupsForUser: (userId) => groups.listAllMembers(groupsOf(userId)),
    async listAllGroupsForUsers(userIds) {
      const out = new Map<string, GroupRow[]>();
      for (const chunk of chunks(unique(userIds), IN_CHUNK)) {
        const rows = await ctx.db.selectFrom('group_members as gm').innerJoin('groups as g', 'g.id', 'gm.group_id')
          .selectAll('g').select('gm.user_id as member_id').where('gm.user_id', 'in', chunk)
          .orderBy('g.name_lower').orderBy('g.id').execute();
        groupBy(rows, (r) => r.member_id, (r) => GROUPS.toRow(r), out);
      }
      return out;
    },
    listGroupMembers: (groupId, page = {}) => users.listMembers(membersOf(groupId), page, 'group-members'),
  };
}
