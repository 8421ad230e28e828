import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrationProvider } from './index.js';

// The backfill: boundaries set before 0024 ran are counted (the triggers only see later changes),
// and the partial index serves the listing of the boundaries. The triggers are exercised on both
// dialects by the store contract.
let db: Kysely<any>;
beforeEach(() => { db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) }); });
afterEach(() => db.destroy());

it('0024 counts the boundaries that existed before it, and its partial index serves the listing of the boundaries', async () => {
  const migrator = new Migrator({ db, provider: migrationProvider });
  expect((await migrator.migrateTo('0023-audit-seq-rowid')).error).toBeUndefined();
  await db.insertInto('accounts').values({ id: 'A', create_date: 0, settings: '{}' }).execute();
  for (const id of ['P1', 'P2']) {
    await db.insertInto('managed_policies').values({ id, account_id: 'A', name: id, name_lower: id.toLowerCase(), path: '/', arn: `arn:${id}`, default_version_id: 'v1', last_version_number: 1, create_date: 0, update_date: 0 }).execute();
  }
  const principal = (id: string, boundary: string | null) => ({ id, account_id: 'A', name: id, name_lower: id, path: '/', arn: `arn:${id}`, create_date: 0, permissions_boundary_arn: boundary });
  await db.insertInto('users').values([principal('AIDA1', 'arn:P1'), principal('AIDA2', 'arn:aws:iam::aws:policy/PowerUserAccess'), principal('AIDA3', null)]).execute();
  await db.insertInto('roles').values({ ...principal('AROA1', 'arn:P1'), assume_role_policy_document: '{}', max_session_duration: 3600 }).execute();

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  const counts = async () => (await db.selectFrom('managed_policies').select(['id', 'boundary_count']).orderBy('id').execute()).map((r) => [r.id, r.boundary_count]);
  expect(await counts()).toEqual([['P1', 2], ['P2', 0]]);
  await db.updateTable('users').set({ permissions_boundary_arn: 'arn:P2' }).where('id', '=', 'AIDA3').execute();
  await db.updateTable('users').set({ permissions_boundary_arn: 'arn:P2' }).where('id', '=', 'AIDA1').execute();
  await db.deleteFrom('roles').where('id', '=', 'AROA1').execute();
  expect(await counts()).toEqual([['P1', 0], ['P2', 2]]);
  // The store names the index for SQLite (`INDEXED BY` fails when the index cannot serve the query).
  const plan = await sql<{ detail: string }>`explain query plan select id from managed_policies as mp indexed by managed_policies_boundary_idx
    where mp.account_id = 'A' and mp.boundary_count > 0 order by mp.name_lower, mp.id`.execute(db);
  expect(plan.rows.map((r) => r.detail)).toEqual(['SEARCH mp USING INDEX managed_policies_boundary_idx (account_id=?)']);
});
