import type { Kysely, Migration } from 'kysely';

/**
 * Indexes in the order the listings page: `(account_id, name_lower, id)` for every name-ordered
 * listing, so a page is an index range that starts at the marker and stops after `MaxItems + 1`
 * rows, whatever the account holds. The unique `(account_id, name_lower)` indexes cannot serve
 * `ORDER BY name_lower, id` on PostgreSQL (it does not reason that a unique column makes `id`
 * redundant) nor the `(name_lower, id) > (…)` keyset condition as a range on either database, so
 * without these a page sorted the whole account. `policy_versions` gets its paging order too.
 */
const NAMED_TABLES = ['users', 'groups', 'roles', 'instance_profiles', 'managed_policies'] as const;

export const pagingIndexesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    for (const table of NAMED_TABLES) {
      await db.schema.createIndex(`${table}_account_paging_idx`).on(table).columns(['account_id', 'name_lower', 'id']).execute();
    }
    await db.schema.createIndex('policy_versions_paging_idx').on('policy_versions').columns(['policy_id', 'version_number']).execute();
  },
};
