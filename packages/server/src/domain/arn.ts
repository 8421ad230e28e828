/**
 * IAM and STS ARNs, built and parsed the way AWS spells them. Paths are `/` or `/a/b/`.
 */

/** The partition Castellan reports. */
export const PARTITION = 'aws';

/** `arn:aws:iam::123456789012:root`. */
export const rootArn = (accountId: string): string => `arn:${PARTITION}:iam::${accountId}:root`;
/** A workload registration of Castellan's own API (`castellan` resource type `workload`). */
export const workloadArn = (accountId: string, id: string): string => `arn:${PARTITION}:castellan::${accountId}:workload/${id}`;
/** `arn:aws:iam::123456789012:user/path/name`. */
export const userArn = (accountId: string, path: string, name: string): string => `arn:${PARTITION}:iam::${accountId}:user${path}${name}`;
/** `arn:aws:iam::123456789012:group/path/name`. */
export const groupArn = (accountId: string, path: string, name: string): string => `arn:${PARTITION}:iam::${accountId}:group${path}${name}`;
/** `arn:aws:iam::123456789012:role/path/name`. */
export const roleArn = (accountId: string, path: string, name: string): string => `arn:${PARTITION}:iam::${accountId}:role${path}${name}`;
/** `arn:aws:iam::123456789012:instance-profile/path/name`. */
export const instanceProfileArn = (accountId: string, path: string, name: string): string => `arn:${PARTITION}:iam::${accountId}:instance-profile${path}${name}`;
/** `arn:aws:iam::123456789012:policy/path/name`; AWS-managed policies use the account `aws`. */
export const policyArn = (accountId: string, path: string, name: string): string => `arn:${PARTITION}:iam::${accountId}:policy${path}${name}`;
/** `arn:aws:sts::123456789012:assumed-role/role-name/session-name` (the role's path is not part of it). */
export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string): string =>
  `arn:${PARTITION}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;

/** The parts of an ARN. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** Everything after the fifth colon, e.g. `user/path/name`. */
  resource: string;
}

/** Splits an ARN into its parts, or `undefined` when it is not one. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  if (!partition || !service) return undefined;
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}

/**
 * `parseArn(arn)?.accountId` without splitting the whole ARN (the pipeline asks it of every
 * authorized call's resource).
 */
export function arnAccountId(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const partition = arn.indexOf(':', 4);
  const service = partition < 0 ? -1 : arn.indexOf(':', partition + 1);
  const region = service < 0 ? -1 : arn.indexOf(':', service + 1);
  const account = region < 0 ? -1 : arn.indexOf(':', region + 1);
  // Partition and service must not be empty, as parseArn requires.
  if (account < 0 || partition === 4 || service === partition + 1) return undefined;
  return arn.slice(region + 1, account);
}

/** The parts of an IAM entity ARN such as `…:policy/path/name`. */
export interface IamResourceArn {
  accountId: string;
  type: string;
  path: string;
  name: string;
}

/** Parses `arn:aws:iam::ACCOUNT:TYPE/path/name`, or `undefined`. */
export function parseIamResourceArn(arn: string): IamResourceArn | undefined {
  const p = parseArn(arn);
  if (!p || p.service !== 'iam' || p.region !== '') return undefined;
  const slash = p.resource.indexOf('/');
  if (slash <= 0) return undefined;
  const type = p.resource.slice(0, slash);
  const rest = p.resource.slice(slash);
  const last = rest.lastIndexOf('/');
  const name = rest.slice(last + 1);
  if (!name) return undefined;
  return { accountId: p.accountId, type, path: rest.slice(0, last + 1), name };
}
