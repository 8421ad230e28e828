/**
 * SQLite's page reading (`sql/prepared-pages.ts`): each row one `json_array(…)` text, read as one
 * column (better-sqlite3's pluck mode) in the query's own order, the texts joined into one JSON
 * array and parsed once. Not one `json_group_array`: its order is promised only with an `ORDER BY`
 * in the aggregate, and with one it cost as much as better-sqlite3's raw rows.
 *
 * @internal
 * @module
 */
import { sql } from 'kysely';
import { columnRefs, type PageReader } from '../sql/prepared-pages.js';

/** @internal */
export const sqlitePageReader: PageReader = Object.freeze<PageReader>({
  select: (_db, query, { columns }) => query.select(sql<string>`json_array(${columnRefs(columns)})`.as('row')),
  rows: (texts: unknown[]) => JSON.parse(`[${(texts as string[]).join(',')}]`) as unknown[][],
});
