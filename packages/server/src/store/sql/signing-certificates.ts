import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { AccessKeyOwner, AccessKeyStatus, SigningCertificateRow, SigningCertificateStore } from '../store.js';
import { date, ms } from './columns.js';
import { after } from './conditions.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `SigningCertificateStore` on SQL. @internal */
export function sqlSigningCertificateStore(ctx: SqlContext): SigningCertificateStore {
  return {
    createSigningCertificate: (input) => ctx.atomic(async (tx) => {
      const max = input.maxPerOwner ?? 2;
      const { owner } = input;
      const locked = owner.kind === 'user' ? await tx.lockRow('users', owner.userId) : await tx.lockRow('accounts', input.accountId);
      if (!locked) throw new StoreReferenceError(owner.kind === 'user' ? 'signing_certificates.user_id' : 'signing_certificates.account_id');
      const n = await tx.count(ownerFilter(tx.db.selectFrom('signing_certificates').select((eb) => eb.fn.countAll().as('n')), input.accountId, owner));
      if (n >= max) throw new StoreLimitError('signingCertificatesPerUser', max);
      const row: Database['signing_certificates'] = {
        id: input.id,
        account_id: input.accountId,
        owner_kind: owner.kind,
        user_id: owner.kind === 'user' ? owner.userId : null,
        body: input.body,
        fingerprint: input.fingerprint,
        status: input.status,
        upload_date: ms(input.uploadDate),
      };
      await tx.db.insertInto('signing_certificates').values(row).execute();
      return toSigningCertificate(row);
    }),
    async getSigningCertificate(id) {
      const row = await ctx.db.selectFrom('signing_certificates').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toSigningCertificate(row);
    },
    async listSigningCertificates(req) {
      const limit = pageSize(req.maxItems);
      let query = ownerFilter(ctx.db.selectFrom('signing_certificates').selectAll(), req.accountId, req.owner);
      if (req.marker) query = query.where(after(['upload_date', 'id'], decodeMarker('signing-certificates', req.marker, ['number', 'string'])));
      const rows = await query.orderBy('upload_date').orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, 'signing-certificates', (r) => [Number(r.upload_date), r.id], toSigningCertificate);
    },
    async updateSigningCertificateStatus(id, status) {
      return (await ctx.db.updateTable('signing_certificates').set({ status }).where('id', '=', id).executeTakeFirst()).numUpdatedRows > 0n;
    },
    async deleteSigningCertificate(id) {
      return (await ctx.db.deleteFrom('signing_certificates').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
    },
  };
}

function ownerFilter<Q extends { where: (...args: any[]) => any }>(query: Q, accountId: string, owner: AccessKeyOwner): Q {
  const q = query.where('account_id', '=', accountId).where('owner_kind', '=', owner.kind);
  return owner.kind === 'user' ? q.where('user_id', '=', owner.userId) : q;
}

function toSigningCertificate(r: Database['signing_certificates']): SigningCertificateRow {
  return {
    accountId: r.account_id,
    id: r.id,
    owner: r.owner_kind === 'user' ? { kind: 'user', userId: r.user_id! } : { kind: 'root' },
    body: r.body,
    fingerprint: r.fingerprint,
    status: r.status as AccessKeyStatus,
    uploadDate: date(r.upload_date),
  };
}
