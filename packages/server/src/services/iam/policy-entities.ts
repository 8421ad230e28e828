/**
 * The users, groups and roles that policies attach to, looked up by name with AWS's NoSuchEntity
 * wording, for the policy services (attachments, inline policies, boundaries, roles).
 *
 * @module
 */
import { NoSuchEntityError } from '../../domain/errors.js';
import type { EntityRef, PrincipalEntityKind, Store } from '../../store/store.js';
import { refuseProtectedRole } from './protected-roles.js';

/** A user, group or role found by name. */
export interface NamedEntity {
  ref: EntityRef;
  name: string;
  path: string;
  arn: string;
  permissionsBoundaryArn?: string | undefined;
}

/** NoSuchEntity for a role name, in AWS's words. */
export function noSuchRole(name: string): NoSuchEntityError {
  return new NoSuchEntityError(`The role with name ${name} cannot be found.`);
}

/** NoSuchEntity for `kind` named `name`: "The user with name bob cannot be found.". */
export function noSuchEntity(kind: PrincipalEntityKind, name: string): NoSuchEntityError {
  return new NoSuchEntityError(`The ${kind} with name ${name} cannot be found.`);
}

/** The user, group or role `name` of the account, or NoSuchEntity. */
export async function requireEntity(store: Store, accountId: string, kind: PrincipalEntityKind, name: string): Promise<NamedEntity> {
  const row =
    kind === 'user' ? await store.getUserByName(accountId, name) : kind === 'group' ? await store.getGroupByName(accountId, name) : await store.getRoleByName(accountId, name);
  if (!row) throw noSuchEntity(kind, name);
  return {
    ref: { kind, id: row.id },
    name: row.name,
    path: row.path,
    arn: row.arn,
    permissionsBoundaryArn: kind === 'group' ? undefined : (row as { permissionsBoundaryArn?: string }).permissionsBoundaryArn,
  };
}

/** {@link requireEntity} for a change to its policies: a service-linked role is UnmodifiableEntity. */
export async function requireModifiableEntity(store: Store, accountId: string, kind: PrincipalEntityKind, name: string): Promise<NamedEntity> {
  const entity = await requireEntity(store, accountId, kind, name);
  if (kind === 'role') refuseProtectedRole(entity);
  return entity;
}

/** AWS's quota names per entity kind: `PoliciesPerUser`, … */
export const KIND_TITLE: Record<PrincipalEntityKind, 'User' | 'Group' | 'Role'> = { user: 'User', group: 'Group', role: 'Role' };
