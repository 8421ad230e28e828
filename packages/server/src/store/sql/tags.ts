import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { Tag, TagStore, TagTarget } from '../store.js';
import { IN_CHUNK, chunks, groupBy, unique } from './batches.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import { ENTITY_TABLE } from './named-entities.js';
import { PreparedRead } from './prepared-reads.js';
import type { LockableTable, SqlContext } from './sql-context.js';

/** An entity's first tags (every authorization of a call on a tagged entity reads them), prepared once. */
const FIRST_TAGS = new PreparedRead(2, (db, targetId: string, limit: number) =>
  db.selectFrom('tags').select(['key', 'value', 'position']).where('target_id', '=', targetId).orderBy('position').limit(limit));

const TAG_FK = { user: 'user_id', role: 'role_id', policy: 'policy_id', mfa: 'mfa_device_id', 'server-certificate': 'server_certificate_id', instanceProfile: 'instance_profile_id', 'oidc-provider': 'oidc_provider_id', 'saml-provider': 'saml_provider_id' } as const;
const TAG_OWNER_TABLE = { ...ENTITY_TABLE, policy: 'managed_policies', mfa: 'mfa_devices', 'server-certificate': 'server_certificates', instanceProfile: 'instance_profiles', 'oidc-provider': 'oidc_providers', 'saml-provider': 'saml_providers' } as const satisfies Record<TagTarget['kind'], LockableTable>;

/** `TagStore` (tags of users, roles, customer managed policies and instance profiles) on SQL. @internal */
export function sqlTagStore(ctx: SqlContext): TagStore {
  return {
    async listTags(target, page = {}) {
      const limit = pageSize(page.maxItems);
      if (!page.marker) {
        const rows = await FIRST_TAGS.all(ctx, target.id, limit + 1);
        return toPage(rows, limit, 'tags', (r) => [Number(r.position)], (r) => ({ key: r.key, value: r.value }));
      }
      let query = ctx.db.selectFrom('tags').select(['key', 'value', 'position']).where('target_id', '=', target.id);
      if (page.marker) {
        const [position] = decodeMarker('tags', page.marker, ['number']);
        query = query.where('position', '>', position as number);
      }
      const rows = await query.orderBy('position').limit(limit + 1).execute();
      return toPage(rows, limit, 'tags', (r) => [Number(r.position)], (r) => ({ key: r.key, value: r.value }));
    },
    async listAllTags(targets) {
      const out = new Map<string, Tag[]>();
      for (const chunk of chunks(unique(targets.map((t) => t.id)), IN_CHUNK)) {
        const rows = await ctx.db.selectFrom('tags').select(['target_id', 'key', 'value']).where('target_id', 'in', chunk)
          .orderBy('target_id').orderBy('position').execute();
        groupBy(rows, (r) => r.target_id, (r) => ({ key: r.key, value: r.value }), out);
      }
      return out;
    },
    async putTags(target, tags, options = {}) {
      const maxTags = options.maxTags ?? 50;
      if (tags.length === 0) return;
      await ctx.atomic(async (tx) => {
        const db = tx.db;
        const table = TAG_OWNER_TABLE[target.kind];
        if (!(await tx.lockRow(table, target.id))) throw new StoreReferenceError(`tags.${TAG_FK[target.kind]}`);
        const existing = await db.selectFrom('tags').select(['key_norm', 'position']).where('target_id', '=', target.id).execute();
        const positions = new Map(existing.map((r) => [r.key_norm, Number(r.position)]));
        let next = Math.max(0, ...positions.values()) + 1;
        // Later duplicates in one request win, as repeated keys overwrite in AWS's TagUser.
        const wanted = new Map<string, Tag>();
        for (const tag of tags) wanted.set(normalizeTagKey(target.kind, tag.key), tag);
        const added = [...wanted.keys()].filter((k) => !positions.has(k)).length;
        if (positions.size + added > maxTags) throw new StoreLimitError('tagsPerResource', maxTags);
        for (const [keyNorm, tag] of wanted) {
          const position = positions.get(keyNorm);
          if (position !== undefined) {
            await db.updateTable('tags').set({ key: tag.key, value: tag.value }).where('target_id', '=', target.id).where('key_norm', '=', keyNorm).execute();
          } else {
            await db.insertInto('tags').values({
              target_kind: target.kind,
              target_id: target.id,
              user_id: target.kind === 'user' ? target.id : null,
              role_id: target.kind === 'role' ? target.id : null,
              policy_id: target.kind === 'policy' ? target.id : null,
              mfa_device_id: target.kind === 'mfa' ? target.id : null,
              server_certificate_id: target.kind === 'server-certificate' ? target.id : null,
              ...(target.kind === 'instanceProfile' ? { instance_profile_id: target.id } : {}),
              ...(target.kind === 'oidc-provider' ? { oidc_provider_id: target.id } : {}),
              ...(target.kind === 'saml-provider' ? { saml_provider_id: target.id } : {}),
              key: tag.key,
              key_norm: keyNorm,
              value: tag.value,
              position: next++,
            }).execute();
          }
        }
      });
    },
    async removeTags(target, keys) {
      if (keys.length === 0) return 0;
      const norms = unique(keys.map((k) => normalizeTagKey(target.kind, k)));
      const result = await ctx.db.deleteFrom('tags').where('target_id', '=', target.id).where('key_norm', 'in', norms).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** The key as the target's kind compares it: case-insensitively on users and roles. */
function normalizeTagKey(kind: TagTarget['kind'], key: string): string {
  return kind === 'user' || kind === 'role' ? key.toLowerCase() : key;
}
