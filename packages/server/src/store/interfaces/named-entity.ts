/**
 * What users, groups, roles and customer managed policies share: a globally unique id, a name that
 * is unique per account case-insensitively (the spelling given at creation is kept), a path, and
 * the ARN those make.
 */
export interface NamedEntityRow {
  accountId: string;
  /** `AIDA…` (user), `AGPA…` (group), `AROA…` (role), `ANPA…` (managed policy). */
  id: string;
  name: string;
  path: string;
  arn: string;
  createDate: Date;
}
