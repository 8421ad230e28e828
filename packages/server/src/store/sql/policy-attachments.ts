import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { PolicyAttachmentRow, PolicyAttachmentStore, PolicyUsage, PrincipalEntityKind } from '../store.js';
import { IN_CHUNK, chunks, unique } from './batches.js';
import { after, hasPrefix, pathStartsWith } from './conditions.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import { ENTITY_TABLE, entityKeyColumns, type NamedEntityTable } from './named-entities.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** The foreign-key column of each kind of entity in `policy_attachments`. */
const ENTITY_FK = { user: 'user_id', group: 'group_id', role: 'role_id' } as const;
const ENTITY_KIND_ORDER: Record<PrincipalEntityKind, number> = { group: 0, role: 1, user: 2 };

/** `PolicyAttachmentStore` (managed policies attached to users, groups and roles, and usage) on SQL. @internal */
export function sqlPolicyAttachmentStore(ctx: SqlContext): PolicyAttachmentStore {
  return {
    attachPolicy: (input) => ctx.atomic(async (tx) => {
      const db = tx.db;
      if (!(await tx.lockRow(ENTITY_TABLE[input.entity.kind], input.entity.id))) throw new StoreReferenceError(`policy_attachments.${ENTITY_FK[input.entity.kind]}`);
      const existing = await db.selectFrom('policy_attachments').select('policy_arn')
        .where('entity_id', '=', input.entity.id).where('policy_arn', '=', input.policyArn).executeTakeFirst();
      if (existing) return false;
      if (input.maxAttached !== undefined) {
        const n = await tx.count(db.selectFrom('policy_attachments').select((eb) => eb.fn.countAll().as('n')).where('entity_id', '=', input.entity.id));
        if (n >= input.maxAttached) throw new StoreLimitError('attachedPoliciesPerEntity', input.maxAttached);
      }
      const policy = await db.selectFrom('managed_policies').select('id').where('arn', '=', input.policyArn).executeTakeFirst();
      const { name, path } = policyNameAndPath(input.policyArn);
      await db.insertInto('policy_attachments').values({
        account_id: input.accountId,
        entity_kind: input.entity.kind,
        entity_id: input.entity.id,
        ...entityKeyColumns(input.entity),
        policy_arn: input.policyArn,
        policy_id: policy?.id ?? null,
        policy_name: name,
        policy_path: path,
      }).execute();
      return true;
    }),
    async detachPolicy(input) {
      const result = await ctx.db.deleteFrom('policy_attachments')
        .where('entity_id', '=', input.entity.id).where('policy_arn', '=', input.policyArn).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async listAttachedPolicies(entity, page = {}) {
      const limit = pageSize(page.maxItems);
      let query = ctx.db.selectFrom('policy_attachments').selectAll().where('entity_id', '=', entity.id);
      if (hasPrefix(page.pathPrefix)) query = query.where(pathStartsWith(ctx.hooks.dialect, 'policy_path', page.pathPrefix));
      if (page.marker) query = query.where(after(['policy_name', 'policy_arn'], decodeMarker('attached', page.marker, ['string', 'string'])));
      const rows = await query.orderBy('policy_name').orderBy('policy_arn').limit(limit + 1).execute();
      return toPage(rows, limit, 'attached', (r) => [r.policy_name, r.policy_arn], toAttachment);
    },
    async listAllAttachedPolicies(entities) {
      const result: PolicyAttachmentRow[] = [];
      for (const chunk of chunks(unique(entities.map((e) => e.id)), IN_CHUNK)) {
        const rows = await ctx.db.selectFrom('policy_attachments').selectAll().where('entity_id', 'in', chunk)
          .orderBy('entity_id').orderBy('policy_name').orderBy('policy_arn').execute();
        result.push(...rows.map(toAttachment));
      }
      return result;
    },
    async listEntitiesForPolicy(req) {
      type Hit = { kind: PrincipalEntityKind; id: string; name: string; name_lower: string; path: string };
      const kinds: PrincipalEntityKind[] = req.entityFilter ? [req.entityFilter] : ['group', 'role', 'user'];
      const hits = new Map<string, Hit>();
      const columns = ['id', 'name', 'name_lower', 'path'] as const;
      for (const kind of kinds) {
        // A union of table names: Kysely checks the columns the three tables share (see named-entities.ts).
        const table: NamedEntityTable = ENTITY_TABLE[kind];
        if (req.usageFilter !== 'PermissionsBoundary') {
          const attached = ctx.db.selectFrom('policy_attachments').select('entity_id')
            .where('account_id', '=', req.accountId).where('policy_arn', '=', req.policyArn);
          const rows = await ctx.db.selectFrom(table).select(columns).where('id', 'in', attached).execute();
          for (const r of rows) hits.set(r.id, { kind, ...r });
        }
        if (req.usageFilter !== 'PermissionsPolicy' && kind !== 'group') {
          const bounded: 'users' | 'roles' = ENTITY_TABLE[kind];
          const rows = await ctx.db.selectFrom(bounded).select(columns)
            .where('account_id', '=', req.accountId).where('permissions_boundary_arn', '=', req.policyArn).execute();
          for (const r of rows) hits.set(r.id, { kind, ...r });
        }
      }
      const keyOf = (h: Hit): [number, string, string] => [ENTITY_KIND_ORDER[h.kind], h.name_lower, h.id];
      let sorted = [...hits.values()].filter((h) => !hasPrefix(req.pathPrefix) || h.path.startsWith(req.pathPrefix!)).sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
      if (req.marker) {
        const marker = decodeMarker('policy-entities', req.marker, ['number', 'string', 'string']);
        sorted = sorted.filter((h) => compareKeys(keyOf(h), marker) > 0);
      }
      const limit = pageSize(req.maxItems);
      return toPage(sorted.slice(0, limit + 1), limit, 'policy-entities', keyOf, (h) => ({ kind: h.kind, id: h.id, name: h.name, path: h.path }));
    },
    async getPolicyUsage(accountId, arns) {
      const usage = new Map<string, PolicyUsage>();
      const entry = (arn: string) => {
        let u = usage.get(arn);
        if (!u) usage.set(arn, (u = { attachmentCount: 0, permissionsBoundaryUsageCount: 0 }));
        return u;
      };
      const prefix = arns !== undefined && !Array.isArray(arns) ? arns.prefix : undefined;
      const groups = arns === undefined || prefix !== undefined ? [undefined] : chunks(unique(arns as string[]), IN_CHUNK);
      for (const chunk of groups) {
        if (chunk !== undefined && chunk.length === 0) continue;
        let attachments = ctx.db.selectFrom('policy_attachments').select(['policy_arn', (eb) => eb.fn.countAll().as('n')])
          .where('account_id', '=', accountId).groupBy('policy_arn');
        if (chunk) attachments = attachments.where('policy_arn', 'in', chunk);
        if (prefix !== undefined) attachments = attachments.where(pathStartsWith(ctx.hooks.dialect, 'policy_arn', prefix));
        for (const row of await attachments.execute()) entry(row.policy_arn).attachmentCount += Number(row.n);
        for (const table of ['users', 'roles'] as const) {
          let boundaries = ctx.db.selectFrom(table).select(['permissions_boundary_arn', (eb) => eb.fn.countAll().as('n')])
            .where('account_id', '=', accountId).where('permissions_boundary_arn', 'is not', null).groupBy('permissions_boundary_arn');
          if (chunk) boundaries = boundaries.where('permissions_boundary_arn', 'in', chunk);
          if (prefix !== undefined) boundaries = boundaries.where(pathStartsWith(ctx.hooks.dialect, 'permissions_boundary_arn', prefix));
          for (const row of await boundaries.execute()) entry(row.permissions_boundary_arn!).permissionsBoundaryUsageCount += Number(row.n);
        }
      }
      return usage;
    },
  };
}

/** The name and path of a managed policy ARN (`arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`). */
function policyNameAndPath(arn: string): { name: string; path: string } {
  const resource = arn.slice(arn.indexOf(':policy/') + ':policy'.length);
  const cut = resource.lastIndexOf('/');
  return { name: resource.slice(cut + 1), path: cut <= 0 ? '/' : resource.slice(0, cut + 1) };
}

function compareKeys(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

function toAttachment(r: Database['policy_attachments']): PolicyAttachmentRow {
  return {
    accountId: r.account_id,
    entity: { kind: r.entity_kind as PrincipalEntityKind, id: r.entity_id },
    policyArn: r.policy_arn,
    policyName: r.policy_name,
    policyPath: r.policy_path,
  };
}
