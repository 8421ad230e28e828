import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { ServerCertificateRow, ServerCertificateStore } from '../store.js';
import { date, ms } from './columns.js';
import { after, hasPrefix, pathStartsWith } from './conditions.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `ServerCertificateStore` on SQL: the private key is sealed before it reaches a row and never read. @internal */
export function sqlServerCertificateStore(ctx: SqlContext): ServerCertificateStore {
  return {
    createServerCertificate: (input, options = {}) => ctx.atomic(async (tx) => {
      const max = options.maxPerAccount ?? 20;
      if (!(await tx.lockRow('accounts', input.accountId))) throw new StoreReferenceError('server_certificates.account_id');
      const n = await tx.count(tx.db.selectFrom('server_certificates').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', input.accountId));
      if (n >= max) throw new StoreLimitError('serverCertificatesPerAccount', max);
      const row: Database['server_certificates'] = {
        id: input.id,
        account_id: input.accountId,
        name: input.name,
        name_lower: input.name.toLowerCase(),
        path: input.path,
        arn: input.arn,
        body: input.body,
        chain: input.chain ?? null,
        private_key_sealed: tx.secretBox.seal(input.privateKey, input.id),
        expiration: ms(input.expiration),
        upload_date: ms(input.uploadDate),
      };
      await tx.db.insertInto('server_certificates').values(row).execute();
      return toServerCertificate(row);
    }),
    async getServerCertificateByName(accountId, name) {
      const row = await ctx.db.selectFrom('server_certificates').selectAll()
        .where('account_id', '=', accountId).where('name_lower', '=', name.toLowerCase()).executeTakeFirst();
      return row && toServerCertificate(row);
    },
    async listServerCertificates(req) {
      const limit = pageSize(req.maxItems);
      let query = ctx.db.selectFrom('server_certificates').selectAll().where('account_id', '=', req.accountId);
      if (hasPrefix(req.pathPrefix)) query = query.where(pathStartsWith(ctx.hooks.dialect, 'path', req.pathPrefix));
      if (req.marker) query = query.where(after(['name_lower', 'id'], decodeMarker('server-certificates', req.marker, ['string', 'string'])));
      const rows = await query.orderBy('name_lower').orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, 'server-certificates', (r) => [r.name_lower, r.id], toServerCertificate);
    },
    async updateServerCertificate(id, patch) {
      await ctx.db.updateTable('server_certificates')
        .set({ name: patch.name, name_lower: patch.name.toLowerCase(), path: patch.path, arn: patch.arn })
        .where('id', '=', id).execute();
      const row = await ctx.db.selectFrom('server_certificates').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toServerCertificate(row);
    },
    async deleteServerCertificate(id) {
      return (await ctx.db.deleteFrom('server_certificates').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
    },
    async countServerCertificates(accountId) {
      return ctx.count(ctx.db.selectFrom('server_certificates').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId));
    },
  };
}

function toServerCertificate(r: Database['server_certificates']): ServerCertificateRow {
  return {
    accountId: r.account_id,
    id: r.id,
    name: r.name,
    path: r.path,
    arn: r.arn,
    body: r.body,
    ...(r.chain !== null ? { chain: r.chain } : {}),
    expiration: date(r.expiration),
    uploadDate: date(r.upload_date),
  };
}
