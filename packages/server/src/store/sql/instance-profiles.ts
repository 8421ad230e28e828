import type { InstanceProfileRow, InstanceProfileStore } from '../store.js';
import { countEntities } from './accounts.js';
import { IN_CHUNK, chunks, groupBy, unique } from './batches.js';
import { LISTED_ENTITY_COLUMNS, NamedEntityTableStore, listedEntityFields, namedEntityColumns, namedEntityFields, type NamedEntityTableSpec } from './named-entities.js';
import { ROLES } from './roles.js';
import type { SqlContext } from './sql-context.js';

const INSTANCE_PROFILES: NamedEntityTableSpec<'instance_profiles', InstanceProfileRow> = {
  table: 'instance_profiles',
  listingTag: 'instance-profiles',
  toRow: namedEntityFields,
  listed: { columns: LISTED_ENTITY_COLUMNS, toRow: listedEntityFields },
};

/** `InstanceProfileStore` (instance profiles and the role each holds) on SQL. @internal */
export function sqlInstanceProfileStore(ctx: SqlContext): InstanceProfileStore {
  const profiles = new NamedEntityTableStore(ctx, INSTANCE_PROFILES);
  const roles = new NamedEntityTableStore(ctx, ROLES);
  const profilesOf = (roleId: string) => ctx.db.selectFrom('instance_profile_roles').select('instance_profile_id as id').where('role_id', '=', roleId);
  const rolesOf = (profileId: string) => ctx.db.selectFrom('instance_profile_roles').select('role_id as id').where('instance_profile_id', '=', profileId);
  return {
    createInstanceProfile: (input) => profiles.insert(namedEntityColumns(input)),
    getInstanceProfileByName: (accountId, name) => profiles.getByName(accountId, name),
    listInstanceProfiles: (req) => profiles.list(req),
    listInstanceProfilesForRole: (roleId, page = {}) => profiles.listMembers(profilesOf(roleId), page, 'role-instance-profiles'),
    listInstanceProfileRoles: (profileId) => roles.listAllMembers(rolesOf(profileId)),
    async listAllInstanceProfilesForRoles(roleIds) {
      const out = new Map<string, InstanceProfileRow[]>();
      for (const chunk of chunks(unique(roleIds), IN_CHUNK)) {
        const rows = await ctx.db.selectFrom('instance_profile_roles as ipr').innerJoin('instance_profiles as ip', 'ip.id', 'ipr.instance_profile_id')
          .selectAll('ip').select('ipr.role_id as member_id').where('ipr.role_id', 'in', chunk)
          .orderBy('ip.name_lower').orderBy('ip.id').execute();
        groupBy(rows, (r) => r.member_id, (r) => INSTANCE_PROFILES.toRow(r), out);
      }
      return out;
    },
    countInstanceProfiles: (accountId) => countEntities(ctx, accountId, 'instance_profiles'),
    async addRoleToInstanceProfile(input) {
      await ctx.db.insertInto('instance_profile_roles')
        .values({ instance_profile_id: input.profileId, role_id: input.roleId, account_id: input.accountId }).execute();
    },
    async removeRoleFromInstanceProfile(profileId, roleId) {
      const result = await ctx.db.deleteFrom('instance_profile_roles')
        .where('instance_profile_id', '=', profileId).where('role_id', '=', roleId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    deleteInstanceProfile: (id) => profiles.delete(id),
  };
}
