/**
 * The tag operations users, roles and customer managed policies share (Tag*, Untag*, List*Tags):
 * each kind supplies its tag target, its tag-key check, its quota name and how it finds the entity.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { IAM_QUOTAS } from '../../domain/quotas.js';
import { StoreLimitError } from '../../store/store-errors.js';
import type { Page } from '../../domain/iam-entities.js';
import type { Store, Tag, TagTarget } from '../../store/store.js';
import { toPage, toTag } from './entity-views.js';
import type { ServiceDeps } from '../service-deps.js';
import { pageRequest, quotaExceeded, withMarker, type PagingInput } from './identity-common.js';

/** What differs between the taggable kinds: target kind, key rules, quota name, lookup (with its NoSuchEntity). */
export interface TaggableKind {
  kind: TagTarget['kind'];
  /** AWS's quota name in the LimitExceeded message, e.g. `TagsPerUser`. */
  quotaName: string;
  checkTags(tags: readonly Tag[]): void;
  find(store: Store, accountId: string, name: string): Promise<{ id: string }>;
}

/** Every tag of an entity (at most 50, so one page). */
export async function allEntityTags(store: Store, kind: TaggableKind['kind'], id: string): Promise<Tag[]> {
  return (await store.listTags({ kind, id }, { maxItems: IAM_QUOTAS.tagsPerResource })).items;
}

/** Adds or overwrites tags; more than 50 in all is LimitExceeded under the kind's quota name. */
export async function putEntityTags(tx: Store, taggable: TaggableKind, id: string, tags: Tag[]): Promise<void> {
  try {
    await tx.putTags({ kind: taggable.kind, id }, tags, { maxTags: IAM_QUOTAS.tagsPerResource });
  } catch (err) {
    if (err instanceof StoreLimitError) throw quotaExceeded(taggable.quotaName, IAM_QUOTAS.tagsPerResource);
    throw err;
  }
}

/** Tag*: checks the keys, then adds or overwrites the tags of entity `name`. */
export async function tagEntity(deps: ServiceDeps, taggable: TaggableKind, name: string, tags: Tag[], ctx: RequestContext): Promise<void> {
  taggable.checkTags(tags);
  await deps.store.transaction(async (tx) => {
    const entity = await taggable.find(tx, ctx.caller.accountId, name);
    await putEntityTags(tx, taggable, entity.id, tags);
  });
}

/** Untag*: removes the keys present; absent keys are ignored, as in AWS. */
export async function untagEntity(deps: ServiceDeps, taggable: TaggableKind, name: string, tagKeys: string[], ctx: RequestContext): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const entity = await taggable.find(tx, ctx.caller.accountId, name);
    await tx.removeTags({ kind: taggable.kind, id: entity.id }, tagKeys);
  });
}

/** List*Tags, in the order the tags were added. */
export async function listEntityTags(deps: ServiceDeps, taggable: TaggableKind, name: string, page: PagingInput, ctx: RequestContext): Promise<Page<Tag>> {
  const entity = await taggable.find(deps.store, ctx.caller.accountId, name);
  return toPage(await withMarker(() => deps.store.listTags({ kind: taggable.kind, id: entity.id }, pageRequest(page))), toTag);
}
