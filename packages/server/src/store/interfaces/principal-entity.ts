/** The kind of principal entity policies attach to. */
export type PrincipalEntityKind = 'user' | 'group' | 'role';

/** A reference to a user, group or role by id. */
export interface EntityRef {
  kind: PrincipalEntityKind;
  id: string;
}
