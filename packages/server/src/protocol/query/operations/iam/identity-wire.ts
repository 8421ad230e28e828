/**
 * What the identity operations (users, login profiles, access keys, groups, account) share on the
 * wire: row -> shape mappers, paging markers, and authorization targets `iamTarget` does not cover.
 *
 * @module
 */
import { formatResourceArn } from '../../../../catalog/iam-data-catalog.js';
import { PARTITION } from '../../../../domain/arn.js';
import type { RequestContext } from '../../../../domain/context.js';
import type { IamTargetNames } from '../../../../services/authorization/iam-target.js';
import { nameWithPath } from '../../../../services/iam/identity-common.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import type { GroupRow, Page, Tag, UserRow } from '../../../../store/store.js';
import type { Group, Tag as WireTag, User } from '../../../model/iam-types.js';

/** The User shape of a row (with tags when given, as CreateUser and GetUser answer). */
export function toWireUser(row: UserRow, tags?: Tag[]): User {
  return {
    Path: row.path,
    UserName: row.name,
    UserId: row.id,
    Arn: row.arn,
    CreateDate: row.createDate,
    ...(row.passwordLastUsed ? { PasswordLastUsed: row.passwordLastUsed } : {}),
    ...(row.permissionsBoundaryArn ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: row.permissionsBoundaryArn } } : {}),
    ...(tags && tags.length > 0 ? { Tags: toWireTags(tags) } : {}),
  };
}

/** The Group shape of a row. */
export function toWireGroup(row: GroupRow): Group {
  return { Path: row.path, GroupName: row.name, GroupId: row.id, Arn: row.arn, CreateDate: row.createDate };
}

/** Tags in wire spelling. */
export function toWireTags(tags: readonly Tag[]): WireTag[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

/** Wire tags in store spelling. */
export function fromWireTags(tags: readonly WireTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
}

/** `IsTruncated` and `Marker` of a page. */
export function pageMarkers(page: Page<unknown>): { IsTruncated: boolean; Marker?: string } {
  return { IsTruncated: page.isTruncated, ...(page.isTruncated && page.marker !== undefined ? { Marker: page.marker } : {}) };
}

/**
 * The resource ARN `action` is authorized on, from the catalogue's ARN pattern of its required
 * resource type filled with `values` (`UserNameWithPath`, `GroupNameWithPath`); `*` for actions
 * without resource-level permissions.
 */
export function catalogResource(deps: ServiceDeps, action: string, ctx: RequestContext, values: Record<string, string> = {}): string {
  const info = deps.catalog.action(action);
  const type = info?.resourceTypes.find((r) => r.required) ?? info?.resourceTypes[0];
  if (!type) return '*';
  return formatResourceArn(type.arnPattern, { Partition: PARTITION, Account: ctx.caller.accountId, ...values });
}

/**
 * The authorization target of an operation whose `UserName` is optional: the named user, or
 * without a name the caller itself (its own user, or its own ARN for the root and sessions).
 */
export function userOrCaller(userName: string | undefined, ctx: RequestContext): IamTargetNames {
  if (userName !== undefined) return { userName };
  if (ctx.caller.type === 'IAMUser' && !ctx.caller.session && ctx.caller.userName) return { userName: ctx.caller.userName };
  return { arn: ctx.caller.arn };
}
