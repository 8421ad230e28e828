/**
 * PostgreSQL's page reading (`sql/prepared-pages.ts`): the page one `json` value, its rows
 * aggregated in the listing's order (`pg` parses it with `JSON.parse`).
 *
 * @internal
 * @module
 */
import { sql } from 'kysely';
import { columnRefs, type PageReader } from '../sql/prepared-pages.js';

/**
 * The page as one JSON array of arrays. An aggregate's input order is unspecified unless it has
 * an `ORDER BY`, so the sort key is selected too, under names of its own. `coalesce`: `json_agg`
 * of no rows is null.
 *
 * @internal
 */
export const postgresPageReader: PageReader = Object.freeze<PageReader>({
  select: (db, query, { columns, order }) => {
    const inner = query.select([...columns.map((column) => sql.ref(column).as(column)), ...order.map((column, i) => sql.ref(column).as(`page_key_${i}`))]);
    const keys = sql.join(order.map((_, i) => sql.ref(`page.page_key_${i}`)));
    return db.selectFrom(inner.as('page')).select(sql<unknown[][]>`coalesce(json_agg(json_build_array(${columnRefs(columns, 'page')}) order by ${keys}), '[]'::json)`.as('rows'));
  },
  rows: (values: unknown[]) => values[0] as unknown[][],
});
