import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { AccessKeyStatus, SshPublicKeyRow, SshPublicKeyStore } from '../store.js';
import { date, ms } from './columns.js';
import { after } from './conditions.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `SshPublicKeyStore` on SQL. @internal */
export function sqlSshPublicKeyStore(ctx: SqlContext): SshPublicKeyStore {
  return {
    createSshPublicKey: (input) => ctx.atomic(async (tx) => {
      const max = input.maxPerUser ?? 5;
      if (!(await tx.lockRow('users', input.userId))) throw new StoreReferenceError('ssh_public_keys.user_id');
      const n = await tx.count(tx.db.selectFrom('ssh_public_keys').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', input.userId));
      if (n >= max) throw new StoreLimitError('sshPublicKeysPerUser', max);
      const row: Database['ssh_public_keys'] = {
        id: input.id,
        account_id: input.accountId,
        user_id: input.userId,
        body: input.body,
        fingerprint: input.fingerprint,
        status: input.status,
        upload_date: ms(input.uploadDate),
      };
      await tx.db.insertInto('ssh_public_keys').values(row).execute();
      return toSshPublicKey(row);
    }),
    async getSshPublicKey(id) {
      const row = await ctx.db.selectFrom('ssh_public_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toSshPublicKey(row);
    },
    async listSshPublicKeys(req) {
      const limit = pageSize(req.maxItems);
      let query = ctx.db.selectFrom('ssh_public_keys').selectAll().where('user_id', '=', req.userId);
      if (req.marker) query = query.where(after(['upload_date', 'id'], decodeMarker('ssh-public-keys', req.marker, ['number', 'string'])));
      const rows = await query.orderBy('upload_date').orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, 'ssh-public-keys', (r) => [Number(r.upload_date), r.id], toSshPublicKey);
    },
    async updateSshPublicKeyStatus(id, status) {
      return (await ctx.db.updateTable('ssh_public_keys').set({ status }).where('id', '=', id).executeTakeFirst()).numUpdatedRows > 0n;
    },
    async deleteSshPublicKey(id) {
      return (await ctx.db.deleteFrom('ssh_public_keys').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
    },
  };
}

function toSshPublicKey(r: Database['ssh_public_keys']): SshPublicKeyRow {
  return {
    accountId: r.account_id,
    id: r.id,
    userId: r.user_id,
    body: r.body,
    fingerprint: r.fingerprint,
    status: r.status as AccessKeyStatus,
    uploadDate: date(r.upload_date),
  };
}
