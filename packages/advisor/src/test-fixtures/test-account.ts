/**
 * Builds realistic exported documents of a made-up account, in the shapes the AWS CLI prints
 * (`get-account-authorization-details`, `get-credential-report`, …). Test-only (not built).
 * The baseline account follows every practice; tests change one thing and expect one finding.
 */
export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const NOW = new Date('2026-06-01T12:00:00Z');

/** An ISO 8601 date `days` days before {@link NOW}, as the credential report writes them. */
export const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export type Doc = Record<string, unknown>;
export const policyDoc = (...statements: Doc[]): Doc => ({ Version: '2012-10-17', Statement: statements });
export const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Doc = {}): Doc => ({ Effect: 'Allow', Action, Resource, ...extra });

export interface UserSpec {
  name: string;
  groups?: string[];
  inline?: Record<string, Doc>;
  attached?: string[];
  boundary?: string;
}
export interface GroupSpec {
  name: string;
  inline?: Record<string, Doc>;
  attached?: string[];
}
export interface RoleSpec {
  name: string;
  trust: Doc;
  inline?: Record<string, Doc>;
  attached?: string[];
  instanceProfile?: boolean;
}
export interface PolicySpec {
  name: string;
  document: Doc;
  /** Older versions kept besides the default. */
  extraVersions?: number;
  awsManaged?: boolean;
}

export interface AccountSpec {
  users: UserSpec[];
  groups: GroupSpec[];
  roles: RoleSpec[];
  policies: PolicySpec[];
}

export const policyArn = (p: PolicySpec): string => (p.awsManaged ? `arn:aws:iam::aws:policy/${p.name}` : `arn:aws:iam::${ACCOUNT}:policy/${p.name}`);
export const ADMIN_POLICY: PolicySpec = { name: 'AdministratorAccess', awsManaged: true, document: policyDoc(allow('*')) };
export const SUPPORT_POLICY: PolicySpec = { name: 'AWSSupportAccess', awsManaged: true, document: policyDoc(allow(['support:*'])) };
export const serviceTrust = (service: string): Doc => policyDoc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });

/** A well-run account: users get permissions from groups, roles are narrowly trusted. */
export function baselineAccount(): AccountSpec {
  return {
    users: [
      { name: 'alice', groups: ['developers'] },
      { name: 'bob', groups: ['developers'] },
    ],
    groups: [{ name: 'developers', attached: [`arn:aws:iam::${ACCOUNT}:policy/DeveloperAccess`] }],
    roles: [
      { name: 'orders-function', trust: serviceTrust('lambda.amazonaws.com'), inline: { tables: policyDoc(allow(['dynamodb:GetItem', 'dynamodb:PutItem'], `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`)) } },
      { name: 'aws-support', trust: policyDoc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }), attached: ['arn:aws:iam::aws:policy/AWSSupportAccess'] },
      {
        name: 'auditor',
        trust: policyDoc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'c0ffee-4711' } } }),
        attached: ['arn:aws:iam::aws:policy/SecurityAudit'],
      },
    ],
    policies: [
      {
        name: 'DeveloperAccess',
        document: policyDoc(
          allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::dev-artifacts/*'),
          allow(['iam:GetUser', 'iam:ListAccessKeys'], `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`),
        ),
      },
      SUPPORT_POLICY,
      { name: 'SecurityAudit', awsManaged: true, document: policyDoc(allow(['iam:Get*', 'iam:List*', 'cloudtrail:Describe*'])) },
    ],
  };
}

const created = '2025-01-10T09:00:00Z';

/** The account as `aws iam get-account-authorization-details` prints it. */
export function authorizationDetailsJson(spec: AccountSpec): Doc {
  const inline = (m: Record<string, Doc> | undefined) => Object.entries(m ?? {}).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument }));
  const attached = (arns: string[] | undefined) => (arns ?? []).map((PolicyArn) => ({ PolicyName: PolicyArn.slice(PolicyArn.lastIndexOf('/') + 1), PolicyArn }));
  return {
    UserDetailList: spec.users.map((u, i) => ({
      Path: '/',
      UserName: u.name,
      UserId: `AIDA${String(i).padStart(17, 'X')}`,
      Arn: `arn:aws:iam::${ACCOUNT}:user/${u.name}`,
      CreateDate: created,
      ...(u.inline ? { UserPolicyList: inline(u.inline) } : {}),
      GroupList: u.groups ?? [],
      AttachedManagedPolicies: attached(u.attached),
      ...(u.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: u.boundary } } : {}),
      Tags: [],
    })),
    GroupDetailList: spec.groups.map((g, i) => ({
      Path: '/',
      GroupName: g.name,
      GroupId: `AGPA${String(i).padStart(17, 'X')}`,
      Arn: `arn:aws:iam::${ACCOUNT}:group/${g.name}`,
      CreateDate: created,
      GroupPolicyList: inline(g.inline),
      AttachedManagedPolicies: attached(g.attached),
    })),
    RoleDetailList: spec.roles.map((r, i) => ({
      Path: '/',
      RoleName: r.name,
      RoleId: `AROA${String(i).padStart(17, 'X')}`,
      Arn: `arn:aws:iam::${ACCOUNT}:role/${r.name}`,
      CreateDate: created,
      AssumeRolePolicyDocument: r.trust,
      InstanceProfileList: r.instanceProfile
        ? [{ Path: '/', InstanceProfileName: r.name, InstanceProfileId: `AIPA${String(i).padStart(17, 'X')}`, Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${r.name}`, CreateDate: created, Roles: [] }]
        : [],
      RolePolicyList: inline(r.inline),
      AttachedManagedPolicies: attached(r.attached),
      Tags: [],
      RoleLastUsed: {},
    })),
    Policies: spec.policies.map((p, i) => ({
      PolicyName: p.name,
      PolicyId: `ANPA${String(i).padStart(17, 'X')}`,
      Arn: policyArn(p),
      Path: '/',
      DefaultVersionId: `v${1 + (p.extraVersions ?? 0)}`,
      AttachmentCount: 1,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: created,
      UpdateDate: created,
      PolicyVersionList: [
        ...Array.from({ length: p.extraVersions ?? 0 }, (_, v) => ({ Document: policyDoc(allow('s3:ListAllMyBuckets')), VersionId: `v${v + 1}`, IsDefaultVersion: false, CreateDate: created })),
        { Document: p.document, VersionId: `v${1 + (p.extraVersions ?? 0)}`, IsDefaultVersion: true, CreateDate: created },
      ],
    })),
  };
}

/** One credential report row; omitted fields take a healthy value. */
export interface ReportRowSpec {
  user: string;
  passwordEnabled?: boolean | 'not_supported';
  passwordLastUsed?: string;
  passwordLastChanged?: string;
  mfa?: boolean;
  key1?: { active: boolean; rotated: string; used?: string } | undefined;
  key2?: { active: boolean; rotated: string; used?: string } | undefined;
}

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/** The decoded CSV of `aws iam get-credential-report`. */
export function credentialReportCsv(rows: ReportRowSpec[]): string {
  const key = (k: ReportRowSpec['key1']) => (k ? [String(k.active), k.rotated, k.used ?? 'N/A', k.used ? 'eu-west-1' : 'N/A', k.used ? 's3' : 'N/A'] : ['false', 'N/A', 'N/A', 'N/A', 'N/A']);
  const lines = rows.map((r) => {
    const root = r.user === '<root_account>';
    const arn = root ? `arn:aws:iam::${ACCOUNT}:root` : `arn:aws:iam::${ACCOUNT}:user/${r.user}`;
    const pw = root ? 'not_supported' : String(r.passwordEnabled ?? true);
    return [r.user, arn, '2025-01-10T09:00:00+00:00', pw, r.passwordLastUsed ?? (r.passwordEnabled === false ? 'N/A' : daysAgo(2)), r.passwordLastChanged ?? (root ? 'not_supported' : daysAgo(30)), root ? 'not_supported' : 'N/A', String(r.mfa ?? true), ...key(r.key1), ...key(r.key2), 'false', 'N/A', 'false', 'N/A'].join(',');
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

/** The healthy credential report of the baseline account. */
export function baselineReportRows(): ReportRowSpec[] {
  return [
    { user: '<root_account>', passwordLastUsed: daysAgo(200), mfa: true },
    { user: 'alice', key1: { active: true, rotated: daysAgo(20), used: daysAgo(1) } },
    { user: 'bob', passwordLastUsed: daysAgo(5) },
  ];
}

/** The `get-credential-report` JSON response. */
export const credentialReportResponse = (csv: string): Doc => ({ Content: Buffer.from(csv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: NOW.toISOString() });

export const STRONG_PASSWORD_POLICY: Doc = {
  PasswordPolicy: { MinimumPasswordLength: 16, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, ExpirePasswords: false, PasswordReusePrevention: 24, HardExpiry: false },
};

export const ACCOUNT_SUMMARY: Doc = { SummaryMap: { Users: 2, Groups: 1, Roles: 3, Policies: 1, AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, MFADevices: 2, MFADevicesInUse: 2 } };

/** A CloudTrail record as delivered to S3. */
export function trailRecord(over: { eventTime?: string; eventSource?: string; eventName?: string; user?: string; accessKeyId?: string; userAgent?: string; resources?: string[]; requestParameters?: Doc; errorCode?: string; roleSession?: string } = {}): Doc {
  const user = over.user ?? 'alice';
  const identity = over.roleSession
    ? {
        type: 'AssumedRole',
        principalId: `AROAXXXXXXXXXXXXXXXXX:${over.roleSession}`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${user}/${over.roleSession}`,
        accountId: ACCOUNT,
        accessKeyId: 'ASIAXXXXXXXXXXXXXXXX',
        sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAXXXXXXXXXXXXXXXXX', arn: `arn:aws:iam::${ACCOUNT}:role/${user}`, accountId: ACCOUNT, userName: user } },
      }
    : { type: 'IAMUser', principalId: 'AIDAXXXXXXXXXXXXXXXXX', arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, accountId: ACCOUNT, accessKeyId: over.accessKeyId ?? 'AKIAXXXXXXXXXXXXXXXX', userName: user };
  return {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: over.eventTime ?? daysAgo(1).replace('+00:00', 'Z'),
    eventSource: over.eventSource ?? 's3.amazonaws.com',
    eventName: over.eventName ?? 'GetObject',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: over.userAgent ?? 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12',
    requestParameters: over.requestParameters ?? null,
    responseElements: null,
    ...(over.errorCode ? { errorCode: over.errorCode, errorMessage: 'denied' } : {}),
    requestID: 'EXAMPLE',
    eventID: 'EXAMPLE',
    readOnly: true,
    ...(over.resources ? { resources: over.resources.map((ARN) => ({ ARN, accountId: ACCOUNT })) } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
  };
}
