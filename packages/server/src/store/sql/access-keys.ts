import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { AccessKeyOwner, AccessKeyRow, AccessKeyStatus, AccessKeyStore } from '../store.js';
import { latestBy } from './batches.js';
import { date, ms, optionalDate } from './columns.js';
import { after } from './conditions.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `AccessKeyStore` on SQL: secrets are sealed with the context's `SecretBox` before they reach a row. @internal */
export function sqlAccessKeyStore(ctx: SqlContext): AccessKeyStore {
  return {
    createAccessKey: (input) => ctx.atomic(async (tx) => {
      const maxPerOwner = input.maxPerOwner ?? 2;
      const db = tx.db;
      const { owner } = input;
      const locked = owner.kind === 'user' ? await tx.lockRow('users', owner.userId) : await tx.lockRow('accounts', input.accountId);
      if (!locked) throw new StoreReferenceError(owner.kind === 'user' ? 'access_keys.user_id' : 'access_keys.account_id');
      const n = await tx.count(ownerFilter(db.selectFrom('access_keys').select((eb) => eb.fn.countAll().as('n')), input.accountId, owner));
      if (n >= maxPerOwner) throw new StoreLimitError('accessKeysPerUser', maxPerOwner);
      const row: Database['access_keys'] = {
        access_key_id: input.accessKeyId,
        account_id: input.accountId,
        owner_kind: owner.kind,
        user_id: owner.kind === 'user' ? owner.userId : null,
        secret_sealed: tx.secretBox.seal(input.secretAccessKey, input.accessKeyId),
        status: input.status,
        create_date: ms(input.createDate),
        last_used_date: null,
        last_used_service: null,
        last_used_region: null,
      };
      await db.insertInto('access_keys').values(row).execute();
      return toAccessKey(row);
    }),
    async getAccessKey(accessKeyId) {
      const row = await ctx.db.selectFrom('access_keys').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
      return row && toAccessKey(row);
    },
    async getAccessKeyWithSecret(accessKeyId) {
      const row = await ctx.db.selectFrom('access_keys').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
      return row && { ...toAccessKey(row), secretAccessKey: ctx.secretBox.open(row.secret_sealed, row.access_key_id) };
    },
    async listAccessKeys(req) {
      const limit = pageSize(req.maxItems);
      let query = ownerFilter(ctx.db.selectFrom('access_keys').selectAll(), req.accountId, req.owner);
      if (req.marker) query = query.where(after(['create_date', 'access_key_id'], decodeMarker('access-keys', req.marker, ['number', 'string'])));
      const rows = await query.orderBy('create_date').orderBy('access_key_id').limit(limit + 1).execute();
      return toPage(rows, limit, 'access-keys', (r) => [Number(r.create_date), r.access_key_id], toAccessKey);
    },
    async updateAccessKeyStatus(accessKeyId, status) {
      const result = await ctx.db.updateTable('access_keys').set({ status }).where('access_key_id', '=', accessKeyId).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async deleteAccessKey(accessKeyId) {
      return (await ctx.db.deleteFrom('access_keys').where('access_key_id', '=', accessKeyId).executeTakeFirst()).numDeletedRows > 0n;
    },
    async recordAccessKeyUse(batch) {
      const latest = latestBy(batch, (u) => u.accessKeyId, (u) => u.usedAt);
      if (latest.length === 0) return;
      await ctx.atomic(async (tx) => {
        for (const use of latest) {
          const at = ms(use.usedAt);
          await tx.db.updateTable('access_keys')
            .set({ last_used_date: at, last_used_service: use.serviceName, last_used_region: use.region })
            .where('access_key_id', '=', use.accessKeyId)
            .where((eb) => eb.or([eb('last_used_date', 'is', null), eb('last_used_date', '<', at)])).execute();
        }
      });
    },
  };
}

function ownerFilter<Q extends { where: (...args: any[]) => any }>(query: Q, accountId: string, owner: AccessKeyOwner): Q {
  const q = query.where('account_id', '=', accountId).where('owner_kind', '=', owner.kind);
  return owner.kind === 'user' ? q.where('user_id', '=', owner.userId) : q;
}

function toAccessKey(r: Database['access_keys']): AccessKeyRow {
  const lastUsedDate = optionalDate(r.last_used_date);
  return {
    accountId: r.account_id,
    accessKeyId: r.access_key_id,
    owner: r.owner_kind === 'user' ? { kind: 'user', userId: r.user_id! } : { kind: 'root' },
    status: r.status as AccessKeyStatus,
    createDate: date(r.create_date),
    ...(lastUsedDate ? { lastUsedDate } : {}),
    ...(r.last_used_service !== null ? { lastUsedServiceName: r.last_used_service } : {}),
    ...(r.last_used_region !== null ? { lastUsedRegion: r.last_used_region } : {}),
  };
}
