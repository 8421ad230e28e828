/**
 * IAM's `*` and `?` wildcards, case-insensitive (actions) or not (ARNs), as regular expressions.
 * Patterns come from policies of bounded size; the regexes have no nested quantifiers.
 */
export function wildcardRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

/** True when the action pattern (`iam:*`, `*`, `s3:Get*`) matches the action. */
export function actionMatches(pattern: string, action: string): boolean {
  return pattern === '*' || wildcardRegExp(pattern, true).test(action);
}
