import type { InlinePolicyRow, InlinePolicyStore, PrincipalEntityKind } from '../store.js';
import { IN_CHUNK, chunks, unique } from './batches.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import { entityKeyColumns } from './named-entities.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `InlinePolicyStore` (policies embedded in users, groups and roles) on SQL. @internal */
export function sqlInlinePolicyStore(ctx: SqlContext): InlinePolicyStore {
  return {
    async putInlinePolicy(input) {
      const { entity } = input;
      await ctx.db.insertInto('inline_policies').values({
        account_id: input.accountId,
        entity_kind: entity.kind,
        entity_id: entity.id,
        ...entityKeyColumns(entity),
        name: input.name,
        name_lower: input.name.toLowerCase(),
        document: input.document,
      }).onConflict((oc) => oc.columns(['entity_id', 'name_lower']).doUpdateSet({ name: input.name, document: input.document })).execute();
    },
    async getInlinePolicy(entity, name) {
      const row = await ctx.db.selectFrom('inline_policies').selectAll()
        .where('entity_id', '=', entity.id).where('name_lower', '=', name.toLowerCase()).executeTakeFirst();
      return row && toInline(row);
    },
    async listInlinePolicies(entity, page = {}) {
      const limit = pageSize(page.maxItems);
      let query = ctx.db.selectFrom('inline_policies').selectAll().where('entity_id', '=', entity.id);
      if (page.marker) {
        const [nameLower] = decodeMarker('inline', page.marker, ['string']);
        query = query.where('name_lower', '>', nameLower as string);
      }
      const rows = await query.orderBy('name_lower').limit(limit + 1).execute();
      return toPage(rows, limit, 'inline', (r) => [r.name_lower], toInline);
    },
    async listAllInlinePolicies(entities) {
      const result: InlinePolicyRow[] = [];
      for (const chunk of chunks(unique(entities.map((e) => e.id)), IN_CHUNK)) {
        const rows = await ctx.db.selectFrom('inline_policies').selectAll().where('entity_id', 'in', chunk).orderBy('entity_id').orderBy('name_lower').execute();
        result.push(...rows.map(toInline));
      }
      return result;
    },
    async deleteInlinePolicy(entity, name) {
      const result = await ctx.db.deleteFrom('inline_policies').where('entity_id', '=', entity.id).where('name_lower', '=', name.toLowerCase()).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toInline(r: Database['inline_policies']): InlinePolicyRow {
  return { accountId: r.account_id, entity: { kind: r.entity_kind as PrincipalEntityKind, id: r.entity_id }, name: r.name, document: r.document };
}
