/**
 * Authorization targets that need more than the input's names: the ARN a renamed or moved user or
 * group will have, and the owner of an access key. They read the store, so they live here rather
 * than in the operations.
 *
 * @module
 */
import { formatResourceArn } from '../../catalog/iam-data-catalog.js';
import { groupArn, PARTITION, rootArn, userArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { nameWithPath } from '../iam/identity-common.js';
import type { ServiceDeps } from '../service-deps.js';

/** A rename or move of a user or group: the current name and what changes. */
export interface RenameNames {
  kind: 'user' | 'group';
  name: string;
  newName?: string | undefined;
  newPath?: string | undefined;
}

/**
 * The ARN a rename or move gives the entity (AWS: "the requester must have appropriate permissions
 * on both the source object and the target object"); none when nothing changes.
 */
export async function renamedEntityArns(deps: ServiceDeps, n: RenameNames, ctx: RequestContext): Promise<string[]> {
  if (n.newName === undefined && n.newPath === undefined) return [];
  const accountId = ctx.caller.accountId;
  const current = n.kind === 'user' ? await deps.store.getUserByName(accountId, n.name) : await deps.store.getGroupByName(accountId, n.name);
  const path = n.newPath ?? current?.path ?? '/';
  const name = n.newName ?? current?.name ?? n.name;
  return [n.kind === 'user' ? userArn(accountId, path, name) : groupArn(accountId, path, name)];
}

/**
 * The resource `action` is authorized on for an access key: its owner's ARN (the root ARN for root
 * keys). A key the caller's account does not own is authorized on `user/*` of the caller's account,
 * so only a caller allowed on every user learns that it does not exist.
 */
export async function accessKeyOwnerResource(deps: ServiceDeps, action: string, accessKeyId: string, ctx: RequestContext): Promise<string> {
  const key = await deps.store.getAccessKey(accessKeyId);
  if (key && key.accountId === ctx.caller.accountId) {
    if (key.owner.kind === 'root') return rootArn(key.accountId);
    const user = await deps.store.getUserById(key.owner.userId);
    if (user) return catalogResource(deps, action, ctx, { UserNameWithPath: nameWithPath(user.path, user.name) });
  }
  return catalogResource(deps, action, ctx, { UserNameWithPath: '*' });
}

/**
 * The resource ARN `action` is authorized on, from the catalogue's ARN pattern of its required
 * resource type filled with `values` (`UserNameWithPath`, `GroupNameWithPath`); `*` for actions
 * without resource-level permissions.
 */
export function catalogResource(deps: Pick<ServiceDeps, 'catalog'>, action: string, ctx: RequestContext, values: Record<string, string> = {}): string {
  const info = deps.catalog.action(action);
  const type = info?.resourceTypes.find((r) => r.required) ?? info?.resourceTypes[0];
  if (!type) return '*';
  return formatResourceArn(type.arnPattern, { Partition: PARTITION, Account: ctx.caller.accountId, ...values });
}
