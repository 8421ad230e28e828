/** What differs between users, groups and roles: AWS's operation and member names. */
export interface PrincipalKind {
  plural: string;
  noun: string;
  list: string;
  listKey: string;
  nameKey: string;
  /** The call that reads one (`GetUser`…): whether the entity exists. */
  get: string;
  create: string;
  resultKey: string;
  remove: string;
  attach: string;
  detach: string;
  listAttached: string;
  /** The resource type in its ARNs (`arn:aws:iam::ACCOUNT:user/…`). */
  arnType: 'user' | 'group' | 'role';
}

export const PRINCIPAL_KINDS = {
  users: { get: 'GetUser', plural: 'users', noun: 'user', list: 'ListUsers', listKey: 'Users', nameKey: 'UserName', create: 'CreateUser', resultKey: 'User', remove: 'DeleteUser', attach: 'AttachUserPolicy', detach: 'DetachUserPolicy', listAttached: 'ListAttachedUserPolicies', arnType: 'user' },
  groups: { get: 'GetGroup', plural: 'groups', noun: 'group', list: 'ListGroups', listKey: 'Groups', nameKey: 'GroupName', create: 'CreateGroup', resultKey: 'Group', remove: 'DeleteGroup', attach: 'AttachGroupPolicy', detach: 'DetachGroupPolicy', listAttached: 'ListAttachedGroupPolicies', arnType: 'group' },
  roles: { get: 'GetRole', plural: 'roles', noun: 'role', list: 'ListRoles', listKey: 'Roles', nameKey: 'RoleName', create: 'CreateRole', resultKey: 'Role', remove: 'DeleteRole', attach: 'AttachRolePolicy', detach: 'DetachRolePolicy', listAttached: 'ListAttachedRolePolicies', arnType: 'role' },
} as const satisfies Record<string, PrincipalKind>;

export type PrincipalKindName = keyof typeof PRINCIPAL_KINDS;

/** The user or role an IAM ARN names (`…:user/path/name`, `…:role/path/name`), else undefined. */
export function userOrRoleOfArn(arn: string): { kind: 'user' | 'role'; name: string } | undefined {
  const m = /:(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? { kind: m[1] as 'user' | 'role', name: m[2]! } : undefined;
}
