/**
 * How CreateServiceLinkedRole names a role and which AWS-managed policy it attaches, per service.
 * AWS keeps one name per service (the IAM User Guide's "AWS services that work with IAM" lists
 * them); the table below holds the common ones with their documented names and policies. Any other
 * service whose first label is a service prefix AWS's Service Authorization Reference knows gets
 * `AWSServiceRoleFor` + that label with its first letter upper-cased, and no policy unless one
 * named `<Label>ServiceRolePolicy` exists among the AWS-managed policies. A custom suffix is
 * accepted only where AWS accepts one.
 *
 * @module
 */

/** What CreateServiceLinkedRole makes for one service. */
export interface ServiceLinkedRoleSpec {
  /** The role name without a custom suffix, e.g. `AWSServiceRoleForElasticBeanstalk`. */
  roleName: string;
  /** The AWS-managed policy attached to the role, e.g. `AWSElasticBeanstalkServiceRolePolicy`, if any. */
  policyName?: string;
  /** Whether `CustomSuffix` is allowed (the role is then `<roleName>_<suffix>`). */
  customSuffix: boolean;
}

type Entry = readonly [service: string, roleSuffix: string, policyName: string | undefined, customSuffix?: true];

/** Documented names of common services: service principal, `AWSServiceRoleFor…` suffix, policy, custom suffix. */
const KNOWN: readonly Entry[] = [
  ['access-analyzer.amazonaws.com', 'AccessAnalyzer', 'AccessAnalyzerServiceRolePolicy'],
  ['autoscaling.amazonaws.com', 'AutoScaling', 'AutoScalingServiceRolePolicy', true],
  ['backup.amazonaws.com', 'Backup', 'AWSBackupServiceLinkedRolePolicyForBackup'],
  ['cloudtrail.amazonaws.com', 'CloudTrail', 'CloudTrailServiceRolePolicy'],
  ['compute-optimizer.amazonaws.com', 'ComputeOptimizer', 'ComputeOptimizerServiceRolePolicy'],
  ['config.amazonaws.com', 'Config', 'AWSConfigServiceRolePolicy'],
  ['dynamodb.application-autoscaling.amazonaws.com', 'ApplicationAutoScaling_DynamoDBTable', 'AWSApplicationAutoscalingDynamoDBTablePolicy'],
  ['ecs.amazonaws.com', 'ECS', 'AmazonECSServiceRolePolicy'],
  ['ecs.application-autoscaling.amazonaws.com', 'ApplicationAutoScaling_ECSService', 'AWSApplicationAutoscalingECSServicePolicy'],
  ['eks.amazonaws.com', 'AmazonEKS', 'AmazonEKSServiceRolePolicy'],
  ['elasticache.amazonaws.com', 'ElastiCache', 'ElastiCacheServiceRolePolicy'],
  ['elasticbeanstalk.amazonaws.com', 'ElasticBeanstalk', 'AWSElasticBeanstalkServiceRolePolicy'],
  ['elasticloadbalancing.amazonaws.com', 'ElasticLoadBalancing', 'AWSElasticLoadBalancingServiceRolePolicy'],
  ['elasticmapreduce.amazonaws.com', 'EMRCleanup', 'AmazonEMRCleanupPolicy'],
  ['es.amazonaws.com', 'AmazonElasticsearchService', 'AmazonElasticsearchServiceRolePolicy'],
  ['guardduty.amazonaws.com', 'AmazonGuardDuty', 'AmazonGuardDutyServiceRolePolicy'],
  ['inspector2.amazonaws.com', 'AmazonInspector2', 'AmazonInspector2ServiceRolePolicy'],
  ['kafka.amazonaws.com', 'Kafka', 'KafkaServiceRolePolicy'],
  ['opensearchservice.amazonaws.com', 'AmazonOpenSearchService', 'AmazonOpenSearchServiceRolePolicy'],
  ['organizations.amazonaws.com', 'Organizations', 'AWSOrganizationsServiceTrustPolicy'],
  ['rds.amazonaws.com', 'RDS', 'AmazonRDSServiceRolePolicy'],
  ['redshift.amazonaws.com', 'Redshift', 'AmazonRedshiftServiceLinkedRolePolicy'],
  ['replicator.lambda.amazonaws.com', 'LambdaReplicator', 'AWSLambdaReplicator'],
  ['securityhub.amazonaws.com', 'SecurityHub', 'AWSSecurityHubServiceRolePolicy'],
  ['spot.amazonaws.com', 'EC2Spot', 'AWSEC2SpotServiceRolePolicy'],
  ['spotfleet.amazonaws.com', 'EC2SpotFleet', 'AWSEC2SpotFleetServiceRolePolicy'],
  ['ssm.amazonaws.com', 'AmazonSSM', 'AmazonSSMServiceRolePolicy'],
  ['sso.amazonaws.com', 'SSO', 'AWSSSOServiceRolePolicy'],
  ['support.amazonaws.com', 'Support', 'AWSSupportServiceRolePolicy'],
  ['trustedadvisor.amazonaws.com', 'TrustedAdvisor', 'AWSTrustedAdvisorServiceRolePolicy'],
];

const TABLE: ReadonlyMap<string, ServiceLinkedRoleSpec> = new Map(
  KNOWN.map(([service, suffix, policyName, custom]) => [
    service,
    { roleName: `AWSServiceRoleFor${suffix}`, ...(policyName !== undefined ? { policyName } : {}), customSuffix: custom === true },
  ]),
);

/** A service principal of the `aws` partition: lower-case DNS labels ending in `.amazonaws.com`. */
const SERVICE_PRINCIPAL = /^([a-z0-9][a-z0-9-]*)(\.[a-z0-9][a-z0-9-]*)*\.amazonaws\.com$/;

/**
 * The spec for `serviceName`, or `undefined` when it is not a service that has service-linked
 * roles here. `knownService(prefix)` tells whether a first label is an AWS service prefix;
 * `policyExists(name)` whether an AWS-managed service-role policy of that name exists.
 */
export function serviceLinkedRoleSpec(
  serviceName: string,
  knownService: (prefix: string) => boolean,
  policyExists: (policyName: string) => boolean,
): ServiceLinkedRoleSpec | undefined {
  const known = TABLE.get(serviceName);
  if (known) return known;
  const label = SERVICE_PRINCIPAL.exec(serviceName)?.[1];
  if (label === undefined || serviceName !== `${label}.amazonaws.com` || !knownService(label)) return undefined;
  const title = label.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  const policyName = `${title}ServiceRolePolicy`;
  return { roleName: `AWSServiceRoleFor${title}`, ...(policyExists(policyName) ? { policyName } : {}), customSuffix: false };
}
