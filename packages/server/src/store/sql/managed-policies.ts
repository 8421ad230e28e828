import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { ManagedPolicyRow, ManagedPolicyStore, PolicyVersionRow } from '../store.js';
import { IN_CHUNK, chunks, groupBy, unique } from './batches.js';
import { date, ms } from './columns.js';
import { after, hasPrefix, pageLimit, pathStartsWith } from './conditions.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import { listedKey, namedEntityColumns, namedEntityFields } from './named-entities.js';
import { PreparedPage } from './prepared-pages.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

type PolicyRecord = Selectable<Database['managed_policies']>;

/** `ManagedPolicyStore` (customer managed policies and their versions) on SQL. @internal */
export function sqlManagedPolicyStore(ctx: SqlContext): ManagedPolicyStore {
  /** Policies with their usage counts (columns kept by triggers: migrations 0022 and 0024). */
  const policies = () => ctx.db.selectFrom('managed_policies as mp').selectAll('mp');
  return {
    async createPolicy(input) {
      const columns = namedEntityColumns(input);
      const at = columns.create_date;
      await ctx.atomic(async (tx) => {
        await tx.db.insertInto('managed_policies').values({
          ...columns,
          description: input.description ?? null,
          default_version_id: 'v1',
          last_version_number: 1,
          update_date: at,
        }).execute();
        await tx.db.insertInto('policy_versions').values({ policy_id: input.id, version_id: 'v1', version_number: 1, document: input.document, create_date: at }).execute();
      });
      return {
        ...namedEntityFields(columns),
        ...(input.description !== undefined ? { description: input.description } : {}),
        defaultVersionId: 'v1',
        updateDate: new Date(at),
        attachmentCount: 0,
        permissionsBoundaryUsageCount: 0,
      };
    },
    async getPolicyByArn(arn) {
      const row = await policies().where('mp.arn', '=', arn).executeTakeFirst();
      return row && toPolicy(row);
    },
    async getPolicyById(id) {
      const row = await policies().where('mp.id', '=', id).executeTakeFirst();
      return row && toPolicy(row);
    },
    async listPolicies(req) {
      const limit = pageSize(req.maxItems);
      const key = req.marker ? decodeMarker('policies', req.marker, ['string', 'string']) : undefined;
      const filtered = hasPrefix(req.pathPrefix) || req.onlyAttached || req.usageFilter !== undefined;
      let rows: unknown[][];
      if (!filtered) {
        rows = key ? await LISTED_AFTER.rows(ctx, req.accountId, key[0] as string, key[1] as string, limit + 1) : await LISTED_FIRST.rows(ctx, req.accountId, limit + 1);
      } else {
        let query = listedPolicies(ctx.db, req.accountId);
        if (hasPrefix(req.pathPrefix)) query = query.where(pathStartsWith(ctx.hooks.dialect, 'mp.path', req.pathPrefix));
        // Written as the partial indexes `managed_policies_attached_idx` and
        // `managed_policies_boundary_idx` are (literals, not parameters), so both databases read
        // the attached policies, or the boundaries, as one range of one.
        const attached = req.onlyAttached || req.usageFilter === 'PermissionsPolicy';
        const boundaries = req.usageFilter === 'PermissionsBoundary';
        if (attached) query = query.where(sql<SqlBool>`mp.attachment_count > 0`);
        if (boundaries) query = query.where(sql<SqlBool>`mp.boundary_count > 0`);
        if (key) query = query.where(after(['mp.name_lower', 'mp.id'], key));
        let compiled = query.orderBy('mp.name_lower').orderBy('mp.id').limit(limit + 1).compile();
        const index = attached ? 'managed_policies_attached_idx' : boundaries ? 'managed_policies_boundary_idx' : undefined;
        if (index && ctx.hooks.dialect === 'sqlite') compiled = { ...compiled, sql: indexedBy(compiled.sql, index) };
        rows = (await ctx.db.executeQuery<object>(compiled)).rows.map((r) => Object.values(r));
      }
      return toPage(rows, limit, 'policies', listedKey, (r) => listedPolicy(r, req.accountId));
    },
    async deletePolicy(policyId) {
      return (await ctx.db.deleteFrom('managed_policies').where('id', '=', policyId).executeTakeFirst()).numDeletedRows > 0n;
    },
    createPolicyVersion: (input) => ctx.atomic(async (tx): Promise<PolicyVersionRow> => {
      const maxVersions = input.maxVersions ?? 5;
      const db = tx.db;
      if (!(await tx.lockRow('managed_policies', input.policyId))) throw new StoreReferenceError('policy_versions.policy_id');
      const policy = await db.selectFrom('managed_policies').select('last_version_number').where('id', '=', input.policyId).executeTakeFirstOrThrow();
      const n = await tx.count(db.selectFrom('policy_versions').select((eb) => eb.fn.countAll().as('n')).where('policy_id', '=', input.policyId));
      if (n >= maxVersions) throw new StoreLimitError('policyVersions', maxVersions);
      const number = Number(policy.last_version_number) + 1;
      const versionId = `v${number}`;
      const at = ms(input.createDate);
      await db.insertInto('policy_versions').values({ policy_id: input.policyId, version_id: versionId, version_number: number, document: input.document, create_date: at }).execute();
      await db.updateTable('managed_policies')
        .set({ last_version_number: number, update_date: at, ...(input.setAsDefault ? { default_version_id: versionId } : {}) })
        .where('id', '=', input.policyId).execute();
      return { policyId: input.policyId, versionId, document: input.document, isDefaultVersion: input.setAsDefault, createDate: new Date(at) };
    }),
    async getPolicyVersion(policyId, versionId) {
      const row = await ctx.db.selectFrom('policy_versions as pv').innerJoin('managed_policies as mp', 'mp.id', 'pv.policy_id')
        .selectAll('pv').select('mp.default_version_id')
        .where('pv.policy_id', '=', policyId).where('pv.version_id', '=', versionId).executeTakeFirst();
      return row && toPolicyVersion(row);
    },
    async listPolicyVersions(policyId, page = {}) {
      const limit = pageSize(page.maxItems);
      let query = ctx.db.selectFrom('policy_versions as pv').innerJoin('managed_policies as mp', 'mp.id', 'pv.policy_id')
        .selectAll('pv').select('mp.default_version_id').where('pv.policy_id', '=', policyId);
      if (page.marker) {
        const [number] = decodeMarker('policy-versions', page.marker, ['number']);
        query = query.where('pv.version_number', '<', number as number);
      }
      const rows = await query.orderBy('pv.version_number', 'desc').limit(limit + 1).execute();
      return toPage(rows, limit, 'policy-versions', (r) => [Number(r.version_number)], toPolicyVersion);
    },
    async listAllPolicyVersions(policyIds) {
      const out = new Map<string, PolicyVersionRow[]>();
      for (const chunk of chunks(unique(policyIds), IN_CHUNK)) {
        const rows = await ctx.db.selectFrom('policy_versions as pv').innerJoin('managed_policies as mp', 'mp.id', 'pv.policy_id')
          .selectAll('pv').select('mp.default_version_id').where('pv.policy_id', 'in', chunk)
          .orderBy('pv.policy_id').orderBy('pv.version_number', 'desc').execute();
        groupBy(rows, (r) => r.policy_id, toPolicyVersion, out);
      }
      return out;
    },
    deletePolicyVersion: (policyId, versionId) => ctx.atomic(async (tx) => {
      const db = tx.db;
      if (!(await tx.lockRow('managed_policies', policyId))) return false;
      const policy = await db.selectFrom('managed_policies').select('default_version_id').where('id', '=', policyId).executeTakeFirstOrThrow();
      if (policy.default_version_id === versionId) return false;
      const result = await db.deleteFrom('policy_versions').where('policy_id', '=', policyId).where('version_id', '=', versionId).executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      const newest = await db.selectFrom('policy_versions').select((eb) => eb.fn.max('create_date').as('at')).where('policy_id', '=', policyId).executeTakeFirstOrThrow();
      if (newest.at !== null) await db.updateTable('managed_policies').set({ update_date: Number(newest.at) }).where('id', '=', policyId).execute();
      return true;
    }),
    setDefaultPolicyVersion: (policyId, versionId) => ctx.atomic(async (tx) => {
      const exists = await tx.db.selectFrom('policy_versions').select('version_id')
        .where('policy_id', '=', policyId).where('version_id', '=', versionId).executeTakeFirst();
      if (!exists) return false;
      await tx.db.updateTable('managed_policies').set({ default_version_id: versionId }).where('id', '=', policyId).execute();
      return true;
    }),
    async getDefaultPolicyDocuments(arns) {
      const result = new Map<string, { policyId: string; versionId: string; document: string }>();
      for (const chunk of chunks(unique(arns), IN_CHUNK)) {
        const rows = await ctx.db.selectFrom('managed_policies as mp')
          .innerJoin('policy_versions as pv', (join) => join.onRef('pv.policy_id', '=', 'mp.id').onRef('pv.version_id', '=', 'mp.default_version_id'))
          .select(['mp.arn', 'mp.id', 'pv.version_id', 'pv.document']).where('mp.arn', 'in', chunk).execute();
        for (const row of rows) result.set(row.arn, { policyId: row.id, versionId: row.version_id, document: row.document });
      }
      return result;
    },
  };
}

/**
 * An account's policies as ListPolicies reads them: the columns a listed policy shows, `id` and
 * `name` first, as arrays (`PreparedPage`; see `ListedColumns` in `named-entities.ts` for
 * why and for the marker's key), in `listedPolicy`'s order.
 */
function listedPolicies(db: Kysely<Database>, accountId: string) {
  return accountPolicies(db, accountId).select(LISTED_COLUMNS.map((c) => `mp.${c}` as const));
}

/** An account's policies, nothing selected yet. */
function accountPolicies(db: Kysely<Database>, accountId: string) {
  return db.selectFrom('managed_policies as mp').where('mp.account_id', '=', accountId);
}

const LISTED_COLUMNS = ['id', 'name', 'path', 'arn', 'description', 'default_version_id', 'create_date', 'update_date', 'attachment_count', 'boundary_count'] as const;
const LISTED_PAGE = { columns: LISTED_COLUMNS, order: ['mp.name_lower', 'mp.id'] };

/**
 * SQLite's planner, without statistics (Castellan runs no `ANALYZE`), rates every index on
 * `account_id` alike and reads the account's policies by name, skipping those the filter drops;
 * `INDEXED BY` names the partial index of the attached policies, or of the boundaries (PostgreSQL's
 * planner picks it from its statistics). Kysely has no builder for it, so it goes into the
 * compiled SQL's `FROM`.
 */
function indexedBy(text: string, index: string): string {
  const from = 'from "managed_policies" as "mp"';
  if (!text.includes(from)) throw new Error('listPolicies: no managed_policies FROM to index');
  return text.replace(from, `${from} indexed by "${index}"`);
}

const LISTED_FIRST = new PreparedPage(2, LISTED_PAGE, (db, accountId: string, limit: number) =>
  accountPolicies(db, accountId).orderBy('mp.name_lower').orderBy('mp.id').limit(pageLimit(limit)));
const LISTED_AFTER = new PreparedPage(4, LISTED_PAGE, (db, accountId: string, nameLower: string, id: string, limit: number) =>
  accountPolicies(db, accountId).where(after(['mp.name_lower', 'mp.id'], [nameLower, id])).orderBy('mp.name_lower').orderBy('mp.id').limit(pageLimit(limit)));

/** A row of `listedPolicies`, as `toPolicy` maps a record. */
function listedPolicy(v: readonly unknown[], accountId: string): ManagedPolicyRow {
  const row: ManagedPolicyRow = {
    accountId,
    id: v[0] as string,
    name: v[1] as string,
    path: v[2] as string,
    arn: v[3] as string,
    createDate: date(v[6] as number | string),
    defaultVersionId: v[5] as string,
    updateDate: date(v[7] as number | string),
    attachmentCount: Number(v[8]),
    permissionsBoundaryUsageCount: Number(v[9]),
  };
  if (v[4] !== null) row.description = v[4] as string;
  return row;
}

/**
 * One object literal, with `description` added after: a listing maps 100 rows a page, and object
 * spreads (one per optional field) cost more per row than the query's own work.
 */
function toPolicy(r: PolicyRecord): ManagedPolicyRow {
  const row: ManagedPolicyRow = {
    accountId: r.account_id,
    id: r.id,
    name: r.name,
    path: r.path,
    arn: r.arn,
    createDate: date(r.create_date),
    defaultVersionId: r.default_version_id,
    updateDate: date(r.update_date),
    attachmentCount: Number(r.attachment_count),
    permissionsBoundaryUsageCount: Number(r.boundary_count),
  };
  if (r.description !== null) row.description = r.description;
  return row;
}

function toPolicyVersion(r: Database['policy_versions'] & { default_version_id: string }): PolicyVersionRow {
  return {
    policyId: r.policy_id,
    versionId: r.version_id,
    document: r.document,
    isDefaultVersion: r.version_id === r.default_version_id,
    createDate: date(r.create_date),
  };
}
