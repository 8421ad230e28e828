/**
 * The checks IAM applies to the ARNs of a Resource or NotResource element, beyond "is it an ARN".
 * @internal
 */
import { globMatch, tokenize, type GlobToken } from '../compile/glob.js';

/** The resource types an IAM ARN may name (AWS's "IAM resource path must either be "*" or start with …"). */
export const IAM_RESOURCE_TYPES = ['user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/', 'policy/', 'sms-mfa/', 'saml-provider/', 'oidc-provider/', 'report/', 'access-report/'] as const;

/**
 * What IAM refuses in a Resource or NotResource ARN, in the words the server turns into AWS's texts,
 * or undefined. Rules and texts recorded against AWS (getmoto/moto tests/test_iam/test_iam_policies.py,
 * and AWS's answers quoted in public issues: cloudera-labs/cloudera.exe#112, aws/aws-cdk#22445,
 * aws/aws-cdk#13104, terraform-aws-modules/terraform-aws-iam#39):
 * - no colon at all: not an ARN (`Resource x must be in ARN format or "*".`);
 * - the second field is the partition, whatever the first says, and must be the account's
 *   (`Partition "b" is not valid for resource "arn:b:c:*:*:*".`, missing fields shown as `*`), or
 *   a wildcard pattern matching it: `arn:*:kms:…` is how AWS writes partition-neutral policies (53
 *   of its managed policies do), and AWS's own policy generator (awslabs/iam-policy-autopilot#104)
 *   emits it so its output "works across any partition"; a literal `${ARN_PARTITION}` is refused;
 * - no service field (`arn:aws`): `Resource vendor must be fully qualified and cannot contain regexes.`;
 * - an empty service, or a `::` in an ARN of fewer than six fields (`arn:aws:s3::bucket`): "The
 *   policy failed legacy parsing"; three fields without one (`arn:aws:anything`) are accepted;
 * - IAM and S3 ARNs have no region (`*` is none); an IAM ARN names `*`, one of {@link IAM_RESOURCE_TYPES},
 *   or an account's root user (`arn:aws:iam::123456789012:root`, `arn:aws:iam::*:root`): the Service
 *   Authorization Reference's `root-user` resource type of `sts:AssumeRoot`, which AWS's own
 *   root-task policies and AssumeRoot examples name, though AWS's error text does not list it.
 */
export function iamResourceProblem(r: string, partition: string): string | undefined {
  if (r === '*') return undefined;
  const fields = r.split(':');
  if (fields.length < 2) return `resource \`${r}\` must be an ARN or \`*\``;
  const shown = ['arn', ...fields.slice(1)];
  while (shown.length < 6) shown.push('*');
  if (!partitionMatches(fields[1]!, partition)) return `partition \`${fields[1]}\` is not valid for resource \`${shown.slice(0, 5).join(':')}:${shown.slice(5).join(':')}\``;
  if (fields.length < 3) return `resource \`${r}\` must name a service (the vendor must be fully qualified)`;
  if (fields[2] === '' || (fields.length < 6 && r.includes('::'))) return `resource \`${r}\` cannot be read as an ARN (legacy parsing)`;
  const service = fields[2];
  // A region of `*` names no region: only a named one is "region information".
  const region = fields[3] === '*' ? '' : (fields[3] ?? '');
  if (service === 'iam' && region !== '') return `an IAM resource cannot contain a region: \`${r}\``;
  if (service === 's3' && region !== '') return `an S3 resource cannot contain a region: \`${r}\``;
  if (service === 'iam') {
    const path = fields.slice(5).join(':');
    if (path !== '*' && path !== 'root' && !IAM_RESOURCE_TYPES.some((t) => path.startsWith(t))) return `an IAM resource \`${r}\` must name \`*\` or a path starting with ${IAM_RESOURCE_TYPES.join(', ')}`;
  }
  return undefined;
}

/** True when the partition field `field` (possibly a `*`/`?` pattern) names `partition`. */
function partitionMatches(field: string, partition: string): boolean {
  if (!/[*?]/.test(field)) return field === partition;
  // globMatch, not a RegExp: `.*.*.*…` from a run of stars backtracks in cubic time on a policy
  // anyone who may write one can send.
  return globMatch(tokenize([{ text: field, escaped: false }], true) as GlobToken[], partition);
}
