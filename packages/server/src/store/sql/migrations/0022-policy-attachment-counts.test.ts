import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrationProvider } from './index.js';

// The backfill: policies attached before 0022 ran get their counts (the triggers only see later
// changes). The triggers themselves are exercised on both dialects by the store contract.
let db: Kysely<any>;
beforeEach(() => { db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) }); });
afterEach(() => db.destroy());

it('0022 counts the attachments that existed before it, and its partial index serves the listing of the attached', async () => {
  const migrator = new Migrator({ db, provider: migrationProvider });
  expect((await migrator.migrateTo('0021-account-entity-counts')).error).toBeUndefined();
  await db.insertInto('accounts').values({ id: 'A', create_date: 0, settings: '{}' }).execute();
  await db.insertInto('users').values({ id: 'AIDAU', account_id: 'A', name: 'u', name_lower: 'u', path: '/', arn: 'arn:u', create_date: 0 }).execute();
  await db.insertInto('groups').values({ id: 'AGPAG', account_id: 'A', name: 'g', name_lower: 'g', path: '/', arn: 'arn:g', create_date: 0 }).execute();
  for (const id of ['P1', 'P2']) {
    await db.insertInto('managed_policies').values({ id, account_id: 'A', name: id, name_lower: id.toLowerCase(), path: '/', arn: `arn:${id}`, default_version_id: 'v1', last_version_number: 1, create_date: 0, update_date: 0 }).execute();
  }
  const attachment = (entity: 'user' | 'group', id: string, policy: string | null) => ({
    account_id: 'A', entity_kind: entity, entity_id: id, user_id: entity === 'user' ? id : null, group_id: entity === 'group' ? id : null, role_id: null,
    policy_arn: policy ? `arn:${policy}` : 'arn:aws:iam::aws:policy/ReadOnlyAccess', policy_id: policy, policy_name: policy ?? 'ReadOnlyAccess', policy_path: '/',
  });
  await db.insertInto('policy_attachments').values([attachment('user', 'AIDAU', 'P1'), attachment('group', 'AGPAG', 'P1'), attachment('user', 'AIDAU', null)]).execute();

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  const counts = async () => (await db.selectFrom('managed_policies').select(['id', 'attachment_count']).orderBy('id').execute()).map((r) => [r.id, r.attachment_count]);
  expect(await counts()).toEqual([['P1', 2], ['P2', 0]]);
  await db.insertInto('policy_attachments').values(attachment('user', 'AIDAU', 'P2')).execute();
  await db.deleteFrom('policy_attachments').where('entity_id', '=', 'AGPAG').execute();
  expect(await counts()).toEqual([['P1', 1], ['P2', 1]]);
  // The store names the index for SQLite (`INDEXED BY`, which fails when the index cannot serve
  // the query): the listing's predicate and order must match it.
  const plan = await sql<{ detail: string }>`explain query plan select id from managed_policies as mp indexed by managed_policies_attached_idx
    where mp.account_id = 'A' and mp.attachment_count > 0 order by mp.name_lower, mp.id`.execute(db);
  expect(plan.rows.map((r) => r.detail)).toEqual(['SEARCH mp USING INDEX managed_policies_attached_idx (account_id=?)']);
});
