/**
 * ARNs of the signed-in account's IAM resources, for asking what the user may do with them
 * (api/permissions.ts fills in the account id, from GetCallerIdentity, when it asks).
 */

/** Placeholder for the signed-in account's id in a resource ARN. */
export const ACCOUNT = '${Account}';

/**
 * `arn:aws:iam::${Account}:user/NAME`; `*` for names not chosen yet (the server answers the best
 * case over them). Without a path: pages that know an entity's ARN (from Get*) pass that instead.
 */
export function iamArn(type: 'user' | 'group' | 'role' | 'policy' | 'mfa', name: string): string {
  return `arn:aws:iam::${ACCOUNT}:${type}/${name}`;
}
