// The benchmark's workload: one realistic principal (10 identity policies, 50 statements) and
// 10,000 requests drawn from a seeded generator, so every run decides the same requests.

export const ACCOUNT = '111122223333';
export const PRINCIPAL = {
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  type: 'IAMUser',
  userName: 'alice',
  id: 'AIDAEXAMPLEALICE00001',
  tags: { team: 'platform', env: 'prod', costcenter: '4711' },
};

const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
const office = { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.100.0/24'] } };
const teamPlatform = { StringEquals: { 'aws:PrincipalTag/team': 'platform' } };
const beforeEnd = { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } };
const afterStart = { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } };

const policy = (...Statement) => ({ Version: '2012-10-17', Statement });

/** Ten identity policies, fifty statements: exact and wildcard actions, wildcard ARNs, Deny, conditions. */
export const POLICIES = [
  policy(
    { Sid: 'S3ReadTeamBuckets', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], Resource: ['arn:aws:s3:::platform-*', 'arn:aws:s3:::platform-*/*'] },
    { Sid: 'S3WriteTeamBuckets', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::platform-*/*', Condition: { ...office } },
    { Sid: 'S3ListAll', Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
    { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::*-logs', 'arn:aws:s3:::*-logs/*'] },
    { Sid: 'S3GetAnything', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::shared-*/*', Condition: { ...teamPlatform } },
  ),
  policy(
    { Sid: 'Ec2Describe', Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
    { Sid: 'Ec2StartStop', Effect: 'Allow', Action: ['ec2:StartInstances', 'ec2:StopInstances', 'ec2:RebootInstances'], Resource: `arn:aws:ec2:*:${ACCOUNT}:instance/*`, Condition: { ...mfa } },
    { Sid: 'Ec2Terminate', Effect: 'Allow', Action: 'ec2:TerminateInstances', Resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`, Condition: { ...mfa, ...office } },
    { Sid: 'DenyEc2Outside', Effect: 'Deny', Action: 'ec2:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.100.0/24', '198.51.100.0/24'] } } },
    { Sid: 'Ec2Volumes', Effect: 'Allow', Action: ['ec2:AttachVolume', 'ec2:DetachVolume'], Resource: [`arn:aws:ec2:*:${ACCOUNT}:volume/*`, `arn:aws:ec2:*:${ACCOUNT}:instance/*`] },
  ),
  policy(
    { Sid: 'IamSelf', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListAccessKeys', 'iam:ListMFADevices'], Resource: `arn:aws:iam::${ACCOUNT}:user/alice` },
    { Sid: 'IamOwnKeys', Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: `arn:aws:iam::${ACCOUNT}:user/alice`, Condition: { ...mfa } },
    { Sid: 'IamReadOnly', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*', Condition: { ...teamPlatform } },
    { Sid: 'DenyIamWrite', Effect: 'Deny', Action: ['iam:Create*', 'iam:Delete*', 'iam:Put*', 'iam:Attach*'], Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
    { Sid: 'IamPassRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/platform-*` },
  ),
  policy(
    { Sid: 'DdbTables', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/platform-*` },
    { Sid: 'DdbDescribe', Effect: 'Allow', Action: 'dynamodb:Describe*', Resource: '*' },
    { Sid: 'DdbDenyDelete', Effect: 'Deny', Action: ['dynamodb:DeleteTable', 'dynamodb:DeleteBackup'], Resource: '*' },
    { Sid: 'DdbScanOffice', Effect: 'Allow', Action: 'dynamodb:Scan', Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/*`, Condition: { ...office, ...beforeEnd } },
    { Sid: 'DdbStreams', Effect: 'Allow', Action: 'dynamodb:*Stream*', Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/*/stream/*` },
  ),
  policy(
    { Sid: 'LambdaInvoke', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:*:${ACCOUNT}:function:platform-*` },
    { Sid: 'LambdaRead', Effect: 'Allow', Action: ['lambda:Get*', 'lambda:List*'], Resource: '*' },
    { Sid: 'LambdaUpdate', Effect: 'Allow', Action: ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration'], Resource: `arn:aws:lambda:*:${ACCOUNT}:function:platform-*`, Condition: { ...mfa, ...afterStart } },
    { Sid: 'LambdaDenyProdDelete', Effect: 'Deny', Action: 'lambda:DeleteFunction', Resource: `arn:aws:lambda:*:${ACCOUNT}:function:*-prod` },
    { Sid: 'LambdaLayers', Effect: 'Allow', Action: 'lambda:*Layer*', Resource: `arn:aws:lambda:*:${ACCOUNT}:layer:*` },
  ),
  policy(
    { Sid: 'KmsUse', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: `arn:aws:kms:*:${ACCOUNT}:key/*`, Condition: { ...teamPlatform } },
    { Sid: 'KmsDescribe', Effect: 'Allow', Action: ['kms:DescribeKey', 'kms:ListKeys', 'kms:ListAliases'], Resource: '*' },
    { Sid: 'KmsDenySchedule', Effect: 'Deny', Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey'], Resource: '*' },
    { Sid: 'KmsGrants', Effect: 'Allow', Action: 'kms:*Grant*', Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`, Condition: { ...mfa } },
    { Sid: 'KmsAliases', Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:UpdateAlias'], Resource: `arn:aws:kms:*:${ACCOUNT}:alias/platform-*` },
  ),
  policy(
    { Sid: 'SqsQueues', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: `arn:aws:sqs:*:${ACCOUNT}:platform-*` },
    { Sid: 'SqsRead', Effect: 'Allow', Action: ['sqs:Get*', 'sqs:List*'], Resource: '*' },
    { Sid: 'SqsDenyPurge', Effect: 'Deny', Action: 'sqs:PurgeQueue', Resource: `arn:aws:sqs:*:${ACCOUNT}:*`, Condition: { StringNotEquals: { 'aws:PrincipalTag/env': 'dev' } } },
    { Sid: 'SnsPublish', Effect: 'Allow', Action: 'sns:Publish', Resource: `arn:aws:sns:*:${ACCOUNT}:platform-*` },
    { Sid: 'SnsRead', Effect: 'Allow', Action: ['sns:Get*', 'sns:List*'], Resource: '*' },
  ),
  policy(
    { Sid: 'LogsWrite', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:*:${ACCOUNT}:log-group:/platform/*` },
    { Sid: 'LogsRead', Effect: 'Allow', Action: ['logs:Describe*', 'logs:Get*', 'logs:FilterLogEvents'], Resource: '*' },
    { Sid: 'LogsDenyDelete', Effect: 'Deny', Action: ['logs:DeleteLogGroup', 'logs:DeleteLogStream'], Resource: '*' },
    { Sid: 'CloudWatch', Effect: 'Allow', Action: ['cloudwatch:PutMetricData', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], Resource: '*' },
    { Sid: 'CloudWatchAlarms', Effect: 'Allow', Action: 'cloudwatch:*Alarm*', Resource: `arn:aws:cloudwatch:*:${ACCOUNT}:alarm:platform-*`, Condition: { ...office } },
  ),
  policy(
    { Sid: 'StsSelf', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
    { Sid: 'AssumePlatformRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/platform-*`, Condition: { ...mfa, ...beforeEnd } },
    { Sid: 'DenyAssumeAdmin', Effect: 'Deny', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::*:role/*admin*` },
    { Sid: 'SecretsRead', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: `arn:aws:secretsmanager:*:${ACCOUNT}:secret:platform/*`, Condition: { ...mfa, ...office } },
    { Sid: 'SsmParams', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'], Resource: `arn:aws:ssm:*:${ACCOUNT}:parameter/platform/*` },
  ),
  policy(
    { Sid: 'EcrPull', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:GetAuthorizationToken'], Resource: '*' },
    { Sid: 'EcrPush', Effect: 'Allow', Action: ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'], Resource: `arn:aws:ecr:*:${ACCOUNT}:repository/platform/*`, Condition: { ...teamPlatform, ...office } },
    { Sid: 'EcsDeploy', Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DescribeServices'], Resource: `arn:aws:ecs:*:${ACCOUNT}:service/platform-*/*` },
    { Sid: 'DenyOutsideHours', Effect: 'Deny', Action: ['ecs:UpdateService', 'ecr:PutImage'], Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-12-24T00:00:00Z' } } },
    { Sid: 'EcsRead', Effect: 'Allow', Action: ['ecs:List*', 'ecs:Describe*'], Resource: '*' },
  ),
];

/** A small seeded generator (mulberry32), so the requests are the same on every run. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
const NAMES = ['platform-api', 'platform-web', 'billing', 'shared-assets', 'audit-logs', 'platform-logs', 'data-prod', 'platform-admin'];

/** Action and resource makers per service. */
const TARGETS = [
  [['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectTagging'], (n) => `arn:aws:s3:::${n}/path/to/${n}.json`],
  [['s3:ListBucket', 's3:DeleteBucket'], (n) => `arn:aws:s3:::${n}`],
  [['s3:ListAllMyBuckets', 'ec2:DescribeInstances', 'ec2:DescribeVolumes', 'sts:GetCallerIdentity', 'kms:ListKeys', 'cloudwatch:PutMetricData', 'ecr:GetAuthorizationToken'], () => '*'],
  [['ec2:StartInstances', 'ec2:StopInstances', 'ec2:TerminateInstances', 'ec2:AttachVolume'], (n, r) => `arn:aws:ec2:${r}:${ACCOUNT}:instance/i-0${n.length}f3c9a1b2`],
  [['iam:GetUser', 'iam:CreateAccessKey', 'iam:DeleteUser', 'iam:ListAccessKeys', 'iam:CreateUser'], (n, _r, pick) => `arn:aws:iam::${ACCOUNT}:user/${pick(['alice', 'bob', n])}`],
  [['iam:PassRole', 'sts:AssumeRole', 'iam:GetRole'], (n) => `arn:aws:iam::${ACCOUNT}:role/${n}`],
  [['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:DeleteTable', 'dynamodb:PutItem'], (n, r) => `arn:aws:dynamodb:${r}:${ACCOUNT}:table/${n}`],
  [['lambda:InvokeFunction', 'lambda:UpdateFunctionCode', 'lambda:DeleteFunction', 'lambda:GetFunction'], (n, r) => `arn:aws:lambda:${r}:${ACCOUNT}:function:${n}`],
  [['kms:Decrypt', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion'], (n, r) => `arn:aws:kms:${r}:${ACCOUNT}:key/1234abcd-${n.length}`],
  [['sqs:SendMessage', 'sqs:PurgeQueue', 'sns:Publish'], (n, r, pick) => `arn:aws:${pick(['sqs', 'sns'])}:${r}:${ACCOUNT}:${n}`],
  [['logs:PutLogEvents', 'logs:DeleteLogGroup', 'logs:GetLogEvents'], (n, r) => `arn:aws:logs:${r}:${ACCOUNT}:log-group:/${n.split('-')[0]}/${n}`],
  [['secretsmanager:GetSecretValue', 'ssm:GetParameter'], (n, r, pick) => pick([`arn:aws:secretsmanager:${r}:${ACCOUNT}:secret:platform/${n}`, `arn:aws:ssm:${r}:${ACCOUNT}:parameter/platform/${n}`])],
  [['ecs:UpdateService', 'ecr:PutImage', 'ecs:ListClusters'], (n, r, pick) => pick([`arn:aws:ecs:${r}:${ACCOUNT}:service/${n}/web`, `arn:aws:ecr:${r}:${ACCOUNT}:repository/platform/${n}`])],
];

/** `count` requests: mixed services, resources in and out of scope, context present or not. */
export function makeRequests(count, seed = 20261129) {
  const rnd = random(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const out = [];
  const base = Date.parse('2026-06-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const [actions, make] = pick(TARGETS);
    const action = pick(actions);
    const resource = make(pick(NAMES), pick(REGIONS), pick);
    const context = {};
    const ipRoll = rnd();
    if (ipRoll < 0.5) context['aws:SourceIp'] = `10.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 250)}`;
    else if (ipRoll < 0.65) context['aws:SourceIp'] = `198.51.100.${1 + Math.floor(rnd() * 250)}`;
    else if (ipRoll < 0.95) context['aws:SourceIp'] = `203.0.113.${1 + Math.floor(rnd() * 250)}`;
    const mfaRoll = rnd();
    if (mfaRoll < 0.45) context['aws:MultiFactorAuthPresent'] = true;
    else if (mfaRoll < 0.8) context['aws:MultiFactorAuthPresent'] = false;
    // Times from mid-2026 into early 2027, crossing the time conditions' edges.
    const now = new Date(base + Math.floor(rnd() * 250) * 86_400_000 + Math.floor(rnd() * 86_400) * 1000);
    out.push({ principal: PRINCIPAL, action, resource, context, now });
  }
  return out;
}
