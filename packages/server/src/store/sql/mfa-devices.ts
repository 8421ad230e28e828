import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { MfaDeviceOwner, MfaDeviceRow, MfaDeviceStore } from '../store.js';
import { date, ms, optionalDate } from './columns.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `MfaDeviceStore` on SQL: seeds are sealed with the context's `SecretBox`, bound to the serial number. @internal */
export function sqlMfaDeviceStore(ctx: SqlContext): MfaDeviceStore {
  const select = (db = ctx.db) => db.selectFrom('mfa_devices').selectAll();
  return {
    async createMfaDevice(input) {
      const row: Database['mfa_devices'] = {
        id: input.serialNumber,
        account_id: input.accountId,
        name: input.name,
        name_lower: input.name.toLowerCase(),
        path: input.path,
        seed_sealed: ctx.secretBox.seal(input.seed, input.serialNumber),
        create_date: ms(input.createDate),
        owner_kind: null,
        user_id: null,
        enable_date: null,
        last_used_step: null,
        last_used_date: null,
        drift_steps: 0,
      };
      await ctx.db.insertInto('mfa_devices').values(row).execute();
      return toMfaDevice(row);
    },
    async getMfaDevice(serialNumber) {
      const row = await select().where('id', '=', serialNumber).executeTakeFirst();
      return row && toMfaDevice(row);
    },
    async getMfaDeviceWithSeed(serialNumber) {
      const row = await select().where('id', '=', serialNumber).executeTakeFirst();
      return row && { ...toMfaDevice(row), seed: ctx.secretBox.open(row.seed_sealed, row.id) };
    },
    async listMfaDevices(req) {
      const limit = pageSize(req.maxItems);
      let query = select().where('account_id', '=', req.accountId);
      if (req.owner) query = ownerFilter(query, req.owner);
      else if (req.assignment === 'Assigned') query = query.where('owner_kind', 'is not', null);
      else if (req.assignment === 'Unassigned') query = query.where('owner_kind', 'is', null);
      if (req.marker) query = query.where('id', '>', decodeMarker('mfa-devices', req.marker, ['string'])[0] as string);
      const rows = await query.orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, 'mfa-devices', (r) => [r.id], toMfaDevice);
    },
    enableMfaDevice: (serialNumber, input) => ctx.atomic(async (tx) => {
      const maxPerOwner = input.maxPerOwner ?? 8;
      const { owner } = input;
      const device = await select(tx.db).where('id', '=', serialNumber).executeTakeFirst();
      if (!device) return false;
      const locked = owner.kind === 'user' ? await tx.lockRow('users', owner.userId) : await tx.lockRow('accounts', device.account_id);
      if (!locked) throw new StoreReferenceError(owner.kind === 'user' ? 'mfa_devices.user_id' : 'mfa_devices.account_id');
      const n = await tx.count(ownerFilter(tx.db.selectFrom('mfa_devices').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', device.account_id), owner));
      if (n >= maxPerOwner) throw new StoreLimitError('mfaDevicesPerUser', maxPerOwner);
      const result = await tx.db.updateTable('mfa_devices')
        .set({
          owner_kind: owner.kind,
          user_id: owner.kind === 'user' ? owner.userId : null,
          enable_date: ms(input.enableDate),
          last_used_step: input.usedStep,
          last_used_date: ms(input.enableDate),
          drift_steps: 0,
        })
        .where('id', '=', serialNumber).where('owner_kind', 'is', null).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    }),
    async deactivateMfaDevice(serialNumber) {
      const result = await ctx.db.updateTable('mfa_devices').set({ owner_kind: null, user_id: null, enable_date: null })
        .where('id', '=', serialNumber).where('owner_kind', 'is not', null).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async deleteMfaDevice(serialNumber) {
      return (await ctx.db.deleteFrom('mfa_devices').where('id', '=', serialNumber).executeTakeFirst()).numDeletedRows > 0n;
    },
    async consumeMfaStep(serialNumber, step, usedAt, driftSteps) {
      // Made outside any transaction (sign-in, GetSessionToken): waits for another process's lock on a timer.
      return ctx.write(async (ctx) => {
        const result = await ctx.db.updateTable('mfa_devices')
          .set({ last_used_step: step, last_used_date: ms(usedAt), ...(driftSteps !== undefined ? { drift_steps: driftSteps } : {}) })
          .where('id', '=', serialNumber)
          .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      });
    },
    async countMfaDevices(accountId) {
      const count = (q: ReturnType<typeof base>) => ctx.count(q);
      const base = () => ctx.db.selectFrom('mfa_devices').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId);
      const [devices, inUse, root] = await Promise.all([
        count(base()),
        count(base().where('owner_kind', 'is not', null)),
        count(base().where('owner_kind', '=', 'root')),
      ]);
      return { devices, inUse, root };
    },
  };
}

function ownerFilter<Q extends { where: (...args: any[]) => any }>(query: Q, owner: MfaDeviceOwner): Q {
  const q = query.where('owner_kind', '=', owner.kind);
  return owner.kind === 'user' ? q.where('user_id', '=', owner.userId) : q;
}

function toMfaDevice(r: Database['mfa_devices']): MfaDeviceRow {
  const owner: MfaDeviceOwner | undefined = r.owner_kind === 'root' ? { kind: 'root' } : r.owner_kind === 'user' && r.user_id !== null ? { kind: 'user', userId: r.user_id } : undefined;
  const enableDate = optionalDate(r.enable_date);
  const lastUsedDate = optionalDate(r.last_used_date);
  return {
    accountId: r.account_id,
    serialNumber: r.id,
    name: r.name,
    path: r.path,
    createDate: date(r.create_date),
    ...(owner ? { owner } : {}),
    ...(enableDate ? { enableDate } : {}),
    ...(r.last_used_step !== null ? { lastUsedStep: Number(r.last_used_step) } : {}),
    ...(lastUsedDate ? { lastUsedDate } : {}),
    ...(Number(r.drift_steps) !== 0 ? { driftSteps: Number(r.drift_steps) } : {}),
  };
}
