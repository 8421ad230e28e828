/**
 * What the identity operations (users, login profiles, access keys, groups, account) share on the
 * wire: view -> shape mappers, paging markers, and the target of calls whose user is optional.
 *
 * @module
 */
import type { RequestContext } from '../../../../domain/context.js';
import type { IamTargetNames } from '../../../../services/authorization/iam-target.js';
import type { Group as GroupView, Page, Tag, User as UserView } from '../../../../domain/iam-entities.js';
import type { Group, Tag as WireTag, User } from '../../../model/iam-types.js';

/** The User shape of a user (with tags when given, as CreateUser and GetUser answer). */
export function toWireUser(row: UserView, tags?: Tag[]): User {
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

/**
 * The User shape as listings show it (ListUsers, GetGroup): no boundary and no tags, as in AWS.
 * One literal, as a page maps 100 users (a rest copy of `toWireUser`'s object cost more).
 */
export function toWireListedUser(row: UserView): User {
  const user: User = { Path: row.path, UserName: row.name, UserId: row.id, Arn: row.arn, CreateDate: row.createDate };
  if (row.passwordLastUsed) user.PasswordLastUsed = row.passwordLastUsed;
  return user;
}

/** The Group shape of a group. */
export function toWireGroup(row: GroupView): Group {
  return { Path: row.path, GroupName: row.name, GroupId: row.id, Arn: row.arn, CreateDate: row.createDate };
}

/** Tags in wire spelling. */
export function toWireTags(tags: readonly Tag[]): WireTag[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

/** Wire tags in domain spelling. */
export function fromWireTags(tags: readonly WireTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
}

/** `IsTruncated` and `Marker` of a page. */
export function pageMarkers(page: Page<unknown>): { IsTruncated: boolean; Marker?: string } {
  return { IsTruncated: page.isTruncated, ...(page.isTruncated && page.marker !== undefined ? { Marker: page.marker } : {}) };
}

/**
 * The authorization target of an operation whose `UserName` is optional: the named user, or
 * without a name the caller itself (its own user, or its own ARN for the root and sessions). The
 * caller's own user is the one of its id, as the service acts on (`credentialSubject`), not
 * whoever holds the name it had when it authenticated.
 */
export function userOrCaller(userName: string | undefined, ctx: RequestContext): IamTargetNames {
  if (userName !== undefined) return { userName };
  if (ctx.caller.type === 'IAMUser' && !ctx.caller.session && ctx.caller.userName) return { userName: ctx.caller.userName, userId: ctx.caller.principalId };
  return { arn: ctx.caller.arn };
}
