import { PARTITION, parseArn, parseIamResourceArn } from '../domain/arn.js';

/** IAM's user and role names (the `CreateUser`/`CreateRole` models' patterns and lengths). */
const NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM's paths: `/` or `/a/b/`, printable ASCII, at most 512 characters. */
const PATH = /^\/(?:[\x21-\x7e]*\/)?$/;

/**
 * One `--platform-principals` entry: the ARN of an IAM user (`arn:aws:iam::ACCOUNT:user/[path/]NAME`)
 * or role (`arn:aws:iam::ACCOUNT:role/[path/]NAME`, standing for every session of the role), as it
 * is, or the problem with it as a message naming the entry. Refused with a hint: a role session's
 * `assumed-role` ARN (its role is listed instead), an account's root, wildcards (every platform
 * principal is named) and anything that is not a user's or a role's ARN. That the account is the
 * management account is checked at start, once the store says which it is.
 *
 * @example
 * ```ts
 * parsePlatformPrincipal('arn:aws:iam::123456789012:role/platform/s3-service'); // the same string
 * parsePlatformPrincipal('arn:aws:iam::123456789012:root'); // a message saying why not
 * ```
 */
export function parsePlatformPrincipal(entry: string): string | { problem: string } {
  const problem = (why: string) => ({ problem: `platform principal \`${entry}\` ${why}` });
  const shape = 'is not the ARN of an IAM user or role (arn:aws:iam::ACCOUNT:user/NAME or arn:aws:iam::ACCOUNT:role/NAME)';
  if (entry.includes('*') || entry.includes('?')) return problem('has a wildcard: name each platform principal by its full ARN');
  const arn = parseArn(entry);
  if (!arn) return problem(shape);
  if (arn.partition !== PARTITION) return problem(`is not in the \`${PARTITION}\` partition, the only one Castellan has`);
  if (arn.service === 'sts' && arn.resource.startsWith('assumed-role/')) {
    const role = arn.resource.split('/')[1] ?? 'NAME';
    return problem(`is a role session: name its role, arn:${PARTITION}:iam::${arn.accountId}:role/${role} (with its path), and every session of it has the standing`);
  }
  if (arn.service === 'iam' && arn.resource === 'root') return problem('is an account\'s root user, which no service should run as: name an IAM user or role');
  if (!/^\d{12}$/.test(arn.accountId)) return problem('does not name a 12-digit account');
  const iam = parseIamResourceArn(entry);
  if (!iam || (iam.type !== 'user' && iam.type !== 'role')) return problem(shape);
  if (!NAME.test(iam.name)) return problem(`names \`${iam.name}\`, which is not an IAM ${iam.type} name`);
  if (iam.path.length > 512 || !PATH.test(iam.path)) return problem(`has \`${iam.path}\`, which is not an IAM path`);
  return entry;
}
