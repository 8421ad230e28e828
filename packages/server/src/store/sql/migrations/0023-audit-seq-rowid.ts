import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

/**
 * SQLite only: `audit_events.seq` becomes the table's rowid. Declared `bigint primary key`, it was
 * an ordinary column beside a hidden rowid, so every append wrote one more b-tree (the primary
 * key's own index) than needed and every read by seq went through it. As `integer primary key`
 * the rows are stored by seq; the secondary indexes keep their names and columns. About 2–3 µs of
 * the audit worker's CPU per event (`audit_events` has eight b-trees; now seven).
 *
 * The table is rebuilt (SQLite cannot change a primary key in place) in one transaction: a crash
 * leaves either the old table or the new one, and a rerun starts over. PostgreSQL's `bigint`
 * primary key is already the one index on seq: nothing changes there.
 */
export const auditSeqRowidMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
    const columns = sql.raw('seq, event_id, account_id, event_time, event_source, event_name, read_only, username, access_key_id, error_code, record, prev_hash, hash');
    await db.transaction().execute(async (tx) => {
      await sql`drop table if exists audit_events_0023`.execute(tx);
      await sql`create table audit_events_0023 (
        seq integer primary key,
        event_id text not null unique,
        account_id text not null,
        event_time bigint not null,
        event_source text not null,
        event_name text not null,
        read_only integer not null,
        username text,
        access_key_id text,
        error_code text,
        record text not null,
        prev_hash text not null,
        hash text not null
      )`.execute(tx);
      await sql`insert into audit_events_0023 (${columns}) select ${columns} from audit_events order by seq`.execute(tx);
      await sql`drop table audit_events`.execute(tx);
      await sql`alter table audit_events_0023 rename to audit_events`.execute(tx);
      // The indexes of 0001, unchanged (LookupEvents walks them; see there).
      await tx.schema.createIndex('audit_events_time_idx').on('audit_events').columns(['account_id', 'event_time', 'seq']).execute();
      for (const column of ['event_name', 'username', 'event_source', 'access_key_id', 'read_only']) {
        await tx.schema.createIndex(`audit_events_${column}_idx`).on('audit_events').columns(['account_id', column, 'event_time', 'seq']).execute();
      }
    });
  },
};
