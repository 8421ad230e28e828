import { describe, expect, it } from 'vitest';
import { advise, CHECKS } from './advise.js';
import { readAuthorizationDetails } from './inputs/authorization-details.js';
import { readCredentialReportCsv } from './inputs/credential-report.js';
import { readAccountSummary, readPasswordPolicy } from './inputs/account-settings.js';
import { readTrailRecords } from './inputs/cloudtrail-records.js';
import type { AccountInputs } from './inputs/account-inputs.js';
import type { Finding } from './types.js';
import {
  ACCOUNT,
  ACCOUNT_SUMMARY,
  ADMIN_POLICY,
  NOW,
  OTHER_ACCOUNT,
  STRONG_PASSWORD_POLICY,
  allow,
  authorizationDetailsJson,
  baselineAccount,
  baselineReportRows,
  credentialReportCsv,
  daysAgo,
  policyDoc,
  serviceTrust,
  trailRecord,
  type AccountSpec,
  type Doc,
  type ReportRowSpec,
} from './test-fixtures/test-account.js';

interface Variant {
  account?: (a: AccountSpec) => void;
  report?: (rows: ReportRowSpec[]) => void;
  passwordPolicy?: Doc | 'none';
  summary?: Doc;
  trail?: Doc[];
}

/** The baseline account's inputs, with one thing changed. */
function inputs(v: Variant = {}): AccountInputs {
  const account = baselineAccount();
  v.account?.(account);
  const rows = baselineReportRows();
  v.report?.(rows);
  return {
    authorizationDetails: readAuthorizationDetails(authorizationDetailsJson(account))!,
    credentialReport: readCredentialReportCsv(credentialReportCsv(rows))!,
    passwordPolicy: v.passwordPolicy === 'none' ? { kind: 'none' } : readPasswordPolicy(v.passwordPolicy ?? STRONG_PASSWORD_POLICY)!,
    accountSummary: readAccountSummary(v.summary ?? ACCOUNT_SUMMARY)!,
    trail: readTrailRecords({ Records: v.trail ?? [trailRecord()] })!,
  };
}

const findings = (i: AccountInputs): Finding[] => advise(i, { now: NOW }).practices.flatMap((p) => p.findings);
const user = (a: AccountSpec, name: string) => a.users.find((u) => u.name === name)!;
const row = (rows: ReportRowSpec[], name: string) => rows.find((r) => r.user === name)!;
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

describe('advise over a well-run account', () => {
  it('finds nothing and scores every practice 100', () => {
    const report = advise(inputs(), { now: NOW });
    expect(report.practices.flatMap((p) => p.findings)).toEqual([]);
    expect(report.practices.map((p) => p.score)).toEqual(Array(11).fill(100));
    expect(report.overallScore).toBe(100);
    expect(report.accountId).toBe(ACCOUNT);
    expect(report.inputWarnings).toEqual([]);
  });
});

// Each check: a change that triggers it, with the practice, severity and references expected.
const CASES: { check: string; name: string; variant: Variant; also?: string[]; practice: number; severity: Finding['severity']; cis?: string; prowler?: string; entity?: string }[] = [
  { check: 'root-access-keys', name: 'root has an active key', variant: { report: (r) => (row(r, '<root_account>').key1 = { active: true, rotated: daysAgo(400) }) }, practice: 1, severity: 'critical', cis: '1.4', prowler: 'iam_no_root_access_key' },
  { check: 'root-recent-use', name: 'root signed in 3 days ago', variant: { report: (r) => (row(r, '<root_account>').passwordLastUsed = daysAgo(3)) }, practice: 1, severity: 'high', cis: '1.7', prowler: 'iam_avoid_root_usage' },
  { check: 'root-mfa', name: 'root has no MFA', variant: { report: (r) => (row(r, '<root_account>').mfa = false) }, practice: 9, severity: 'critical', cis: '1.5', prowler: 'iam_root_mfa_enabled' },
  { check: 'console-user-mfa', name: 'bob signs in without MFA', variant: { report: (r) => (row(r, 'bob').mfa = false) }, practice: 9, severity: 'high', cis: '1.10', prowler: 'iam_user_mfa_enabled_console_access', entity: 'bob' },
  { check: 'access-key-rotation', name: "alice's key is 120 days old", variant: { report: (r) => (row(r, 'alice').key1 = { active: true, rotated: daysAgo(120), used: daysAgo(1) }) }, practice: 7, severity: 'medium', cis: '1.14', prowler: 'iam_rotate_access_key_90_days', entity: 'alice' },
  {
    check: 'two-active-access-keys',
    name: 'alice has two active keys',
    variant: { report: (r) => (row(r, 'alice').key2 = { active: true, rotated: daysAgo(5), used: daysAgo(1) }) },
    practice: 7,
    severity: 'medium',
    cis: '1.13',
    prowler: 'iam_user_two_active_access_key',
    entity: 'alice',
  },
  { check: 'unused-credentials', name: "bob's password unused for 60 days", variant: { report: (r) => (row(r, 'bob').passwordLastUsed = daysAgo(60)) }, practice: 8, severity: 'low', cis: '1.12', prowler: 'iam_user_console_access_unused', entity: 'bob' },
  {
    check: 'unused-credentials',
    name: "alice's key unused for 100 days",
    variant: { report: (r) => (row(r, 'alice').key1 = { active: true, rotated: daysAgo(80), used: daysAgo(100) }) },
    practice: 8,
    severity: 'medium',
    cis: '1.12',
    prowler: 'iam_user_accesskey_unused',
    entity: 'alice',
  },
  { check: 'user-attached-policies', name: 'alice has a policy of her own', variant: { account: (a) => (user(a, 'alice').attached = [`arn:aws:iam::${ACCOUNT}:policy/DeveloperAccess`]) }, practice: 3, severity: 'low', cis: '1.15', prowler: 'iam_policy_attached_only_to_group_or_roles', entity: 'alice' },
  {
    check: 'full-admin-policy',
    name: 'developers get AdministratorAccess',
    variant: { account: (a) => (a.groups[0]!.attached!.push(ADMIN_ARN), a.policies.push(ADMIN_POLICY)) },
    practice: 2,
    severity: 'high',
    cis: '1.16',
    prowler: 'iam_aws_attached_policy_no_administrative_privileges',
    entity: 'developers',
  },
  { check: 'iam-wildcard', name: 'a role is granted iam:*', variant: { account: (a) => (a.roles[0]!.inline!['iam'] = policyDoc(allow('iam:*'))) }, practice: 2, severity: 'high', entity: 'orders-function', also: ['privilege-escalation'] },
  { check: 'not-action-allow', name: 'Allow with NotAction', variant: { account: (a) => (a.roles[0]!.inline!['almost'] = policyDoc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })) }, practice: 2, severity: 'high', entity: 'orders-function' },
  {
    check: 'pass-role-any-role',
    name: 'iam:PassRole on *',
    variant: { account: (a) => (a.roles[0]!.inline!['pass'] = policyDoc(allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }))) },
    practice: 2,
    severity: 'high',
    entity: 'orders-function',
  },
  {
    check: 'pass-role-without-service-condition',
    name: 'iam:PassRole without iam:PassedToService',
    variant: { account: (a) => (a.roles[0]!.inline!['pass'] = policyDoc(allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/orders-function`))) },
    practice: 4,
    severity: 'low',
    entity: 'orders-function',
  },
  {
    check: 'permissive-role-trust',
    name: 'a role trusts *',
    variant: { account: (a) => (a.roles[0]!.trust = policyDoc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' })) },
    practice: 10,
    severity: 'critical',
    entity: 'orders-function',
  },
  {
    check: 'permissive-role-trust',
    name: 'a role trusts another account without ExternalId',
    variant: { account: (a) => (a.roles[2]!.trust = policyDoc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' })) },
    practice: 10,
    severity: 'high',
    entity: 'auditor',
  },
  { check: 'support-role', name: 'no support role', variant: { account: (a) => (a.roles = a.roles.filter((r) => r.name !== 'aws-support')) }, practice: 10, severity: 'low', cis: '1.17', prowler: 'iam_support_role_created' },
  {
    check: 'admin-instance-profile',
    name: 'an instance profile with an administrator role',
    variant: { account: (a) => (a.roles.push({ name: 'web-server', trust: serviceTrust('ec2.amazonaws.com'), attached: [ADMIN_ARN], instanceProfile: true }), a.policies.push(ADMIN_POLICY)) },
    practice: 11,
    severity: 'high',
    entity: 'web-server',
    also: ['full-admin-policy'],
  },
  { check: 'password-policy', name: 'no password policy', variant: { passwordPolicy: 'none' }, practice: 6, severity: 'high', cis: '1.8', prowler: 'iam_password_policy_minimum_length_14' },
  {
    check: 'password-policy',
    name: 'passwords may be reused',
    variant: { passwordPolicy: { PasswordPolicy: { ...(STRONG_PASSWORD_POLICY['PasswordPolicy'] as Doc), PasswordReusePrevention: 5 } } },
    practice: 6,
    severity: 'medium',
    cis: '1.9',
    prowler: 'iam_password_policy_reuse_24',
  },
  { check: 'audit-trail', name: 'log files without events', variant: { trail: [] }, practice: 5, severity: 'high', cis: '3.1' },
  { check: 'audit-trail', name: 'newest event 30 days old', variant: { trail: [trailRecord({ eventTime: daysAgo(30).replace('+00:00', 'Z') })] }, practice: 5, severity: 'medium', cis: '3.1' },
  {
    check: 'workload-long-term-keys',
    name: "alice's key used from Lambda",
    variant: { trail: [trailRecord({ userAgent: 'aws-sdk-js/3.600.0 ua/2.0 os/linux#5.10 lang/js md/nodejs#20.11.1 exec-env/AWS_Lambda_nodejs20.x api/s3#3.600.0' })] },
    practice: 11,
    severity: 'medium',
    entity: 'alice',
  },
];

describe('each check', () => {
  it('has a case here (privilege escalation has its own table below)', () => {
    expect(new Set([...CASES.map((c) => c.check), 'privilege-escalation'])).toEqual(new Set(CHECKS.map((c) => c.id)));
  });

  it.each(CASES)('$check: $name', ({ check, variant, practice, severity, cis, prowler, entity, also }) => {
    const found = findings(inputs(variant));
    const mine = found.filter((f) => f.checkId === check);
    expect(mine).toHaveLength(1);
    const f = mine[0]!;
    expect(f.practice).toBe(practice);
    expect(f.severity).toBe(severity);
    expect(f.cis).toBe(cis);
    if (prowler) expect(f.prowler).toContain(prowler);
    if (entity) expect(f.entities.map((e) => e.name)).toContain(entity);
    expect(f.why).toMatch(/^[A-Z].*\.$/);
    // Nothing else fires: each variant changes one thing.
    expect(found.filter((x) => x.checkId !== check).map((x) => x.checkId)).toEqual(also ?? []);
  });
});

describe('fixes', () => {
  it('gives a runnable password-policy command raising only what the finding is about and keeping every other setting', () => {
    // Given a policy with settings UpdateAccountPasswordPolicy would reset when left out (no partial update)
    const policy = { MinimumPasswordLength: 8, MaxPasswordAge: 90, RequireNumbers: true, AllowUsersToChangePassword: true, HardExpiry: true };
    // When the advisor runs
    const found = findings(inputs({ passwordPolicy: { PasswordPolicy: policy } }));
    // Then each finding's command raises its own setting and repeats the rest
    expect(found.find((x) => x.cis === '1.8')!.fix).toEqual({
      kind: 'command',
      command: 'aws iam update-account-password-policy --minimum-password-length 14 --require-numbers --allow-users-to-change-password --hard-expiry --max-password-age 90',
    });
    expect(found.find((x) => x.cis === '1.9')!.fix).toEqual({
      kind: 'command',
      command: 'aws iam update-account-password-policy --minimum-password-length 8 --password-reuse-prevention 24 --require-numbers --allow-users-to-change-password --hard-expiry --max-password-age 90',
    });
    expect(found.find((x) => x.title === 'Passwords need not contain a symbol')!.fix).toEqual({
      kind: 'command',
      command: 'aws iam update-account-password-policy --minimum-password-length 8 --require-symbols --require-numbers --allow-users-to-change-password --hard-expiry --max-password-age 90',
    });
  });

  it('offers every CIS minimum to an account without a password policy', () => {
    const f = findings(inputs({ passwordPolicy: 'none' })).find((x) => x.checkId === 'password-policy')!;
    expect(f.fix).toEqual({
      kind: 'command',
      command: 'aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters',
    });
  });

  it('shows a policy diff for a statement-level finding', () => {
    const f = findings(inputs({ account: (a) => (a.roles[2]!.trust = policyDoc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' })) }))[0]!;
    expect(f.fix.kind).toBe('policyDiff');
    if (f.fix.kind === 'policyDiff') expect(f.fix.diff).toContain('+       "Condition": {');
  });

  it('detaches an administrator policy from every holder', () => {
    const f = findings(inputs({ account: (a) => (a.groups[0]!.attached!.push(ADMIN_ARN), a.roles[0]!.attached = [ADMIN_ARN], a.policies.push(ADMIN_POLICY)) })).find((x) => x.checkId === 'full-admin-policy')!;
    expect(f.fix).toEqual({
      kind: 'command',
      command: `aws iam detach-group-policy --group-name developers --policy-arn ${ADMIN_ARN} && aws iam detach-role-policy --role-name orders-function --policy-arn ${ADMIN_ARN}`,
    });
  });
});

// Escalation methods after Rhino Security Labs' list; each case gives bob one permission.
const ESCALATIONS: { name: string; statement: Doc; method: string; account?: (a: AccountSpec) => void }[] = [
  { name: 'attach a policy to itself', statement: allow('iam:AttachUserPolicy', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`), method: 'iam:AttachUserPolicy on itself' },
  { name: 'write an inline policy on itself', statement: allow('iam:PutUserPolicy', `arn:aws:iam::${ACCOUNT}:user/bob`), method: 'iam:PutUserPolicy on itself' },
  { name: 'attach a policy to its group', statement: allow('iam:AttachGroupPolicy', `arn:aws:iam::${ACCOUNT}:group/*`), method: 'iam:AttachGroupPolicy on its group' },
  { name: 'create a version of a policy it holds', statement: allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/DeveloperAccess`), method: 'iam:CreatePolicyVersion on a policy it holds' },
  { name: 'make an old version the default', statement: allow('iam:SetDefaultPolicyVersion', '*'), method: 'iam:SetDefaultPolicyVersion on a policy it holds', account: (a) => (a.policies[0]!.extraVersions = 1) },
  { name: "create another user's access key", statement: allow('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/*`), method: 'iam:CreateAccessKey on another user' },
  { name: "set another user's password", statement: allow(['iam:CreateLoginProfile', 'iam:UpdateLoginProfile'], `arn:aws:iam::${ACCOUNT}:user/alice`), method: 'iam:UpdateLoginProfile on another user' },
  { name: 'join another group', statement: allow('iam:AddUserToGroup', '*'), method: 'iam:AddUserToGroup (itself to another group)', account: (a) => a.groups.push({ name: 'admins', attached: [] }) },
  { name: "rewrite a role's trust policy", statement: allow('iam:UpdateAssumeRolePolicy', `arn:aws:iam::${ACCOUNT}:role/aws-support`), method: 'iam:UpdateAssumeRolePolicy (trust itself)' },
  { name: 'pass a role to a Lambda function it creates', statement: allow(['iam:PassRole', 'lambda:CreateFunction'], '*'), method: 'iam:PassRole with lambda:CreateFunction' },
  { name: 'pass a role to an instance it launches', statement: allow(['iam:PassRole', 'ec2:RunInstances'], '*'), method: 'iam:PassRole with ec2:RunInstances', account: (a) => a.roles.push({ name: 'web-server', trust: serviceTrust('ec2.amazonaws.com'), instanceProfile: true }) },
  { name: 'pass a role to a workload it registers', statement: allow(['iam:PassRole', 'castellan:RegisterWorkload'], '*'), method: 'iam:PassRole with castellan:RegisterWorkload', account: (a) => a.roles.push({ name: 'web-server', trust: serviceTrust('ec2.amazonaws.com'), instanceProfile: true }) },
];

describe('privilege escalation (evaluated with the engine)', () => {
  it.each(ESCALATIONS)('finds bob can $name', ({ statement, method, account }) => {
    const found = findings(
      inputs({
        account: (a) => {
          user(a, 'bob').inline = { extra: policyDoc(statement) };
          account?.(a);
        },
      }),
    ).filter((f) => f.checkId === 'privilege-escalation');
    expect(found).toHaveLength(1);
    expect(found[0]!.entities[0]).toMatchObject({ type: 'user', name: 'bob' });
    expect(found[0]!.details).toContain(method);
  });

  it.each([
    ['a Deny in a group policy', (a: AccountSpec) => a.groups[0]!.inline = { deny: policyDoc({ Effect: 'Deny', Action: 'iam:AttachUserPolicy', Resource: '*' }) }],
    ['a permissions boundary without IAM writes', (a: AccountSpec) => (user(a, 'bob').boundary = `arn:aws:iam::${ACCOUNT}:policy/DeveloperAccess`)],
    ['an MFA condition (no request context is assumed)', (a: AccountSpec) => (user(a, 'bob').inline = { extra: policyDoc(allow('iam:AttachUserPolicy', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })) })],
  ])('finds no path when %s takes the permission away', (_name, change) => {
    const found = findings(
      inputs({
        account: (a) => {
          user(a, 'bob').inline = { extra: policyDoc(allow('iam:AttachUserPolicy', '*')) };
          change(a);
        },
      }),
    ).filter((f) => f.checkId === 'privilege-escalation');
    expect(found).toEqual([]);
  });

  it('does not report a full administrator as escalating (the admin check does)', () => {
    const found = findings(inputs({ account: (a) => (user(a, 'bob').inline = { all: policyDoc(allow('*')) }) }));
    expect(found.map((f) => f.checkId)).toEqual(['full-admin-policy', 'user-attached-policies']);
  });
});

describe('privilege escalation through a registered workload (on the instance profiles\' ARNs)', () => {
  const profile = (name: string) => `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`;
  const passTo = (associated?: string) => allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' }, ...(associated ? { ArnLike: { 'iam:AssociatedResourceArn': associated } } : {}) } });
  const adminRole = (inProfile: boolean) => (a: AccountSpec) => {
    a.roles.push({ name: 'ec2-admin', trust: serviceTrust('ec2.amazonaws.com'), attached: [ADMIN_ARN], instanceProfile: inProfile });
    a.roles.push({ name: 'batch', trust: serviceTrust('ec2.amazonaws.com'), instanceProfile: true });
    a.policies.push(ADMIN_POLICY);
  };
  it.each([
    ['registers on the profile holding the role (allowed on that ARN only, PassRole only to EC2)', [allow('castellan:RegisterWorkload', profile('ec2-*')), passTo()], true,
      'iam:PassRole with castellan:RegisterWorkload on instance profile ec2-admin'],
    ['registers on profiles holding other roles only', [allow('castellan:RegisterWorkload', profile('batch')), passTo()], true, undefined],
    ['may pass the role to instances but not to workloads', [allow('castellan:RegisterWorkload', profile('ec2-*')), passTo(`arn:aws:ec2:*:${ACCOUNT}:instance/*`)], true, undefined],
    ['may pass the role to workloads', [allow('castellan:RegisterWorkload', profile('ec2-*')), passTo(`arn:aws:castellan::${ACCOUNT}:workload/*`)], true,
      'iam:PassRole with castellan:RegisterWorkload on instance profile ec2-admin'],
    ['registers anywhere, but the role is in no profile and it cannot put it in one', [allow(['castellan:RegisterWorkload', 'iam:PassRole'], '*')], false, undefined],
    ['can empty another profile, put the role in it and register on it', [allow(['iam:RemoveRoleFromInstanceProfile', 'iam:AddRoleToInstanceProfile', 'castellan:RegisterWorkload'], profile('batch')), passTo()], false,
      'iam:PassRole with iam:AddRoleToInstanceProfile and castellan:RegisterWorkload on instance profile batch'],
    ['can put the role in another profile but not empty it', [allow(['iam:AddRoleToInstanceProfile', 'castellan:RegisterWorkload'], profile('batch')), passTo()], false, undefined],
  ] as const)('bob %s', (_name, statements, inProfile, method) => {
    const found = findings(
      inputs({
        account: (a) => {
          user(a, 'bob').inline = { extra: policyDoc(...statements) };
          adminRole(inProfile)(a);
        },
      }),
    ).filter((f) => f.checkId === 'privilege-escalation');
    // Paths to the batch role (which bob may pass too) are not this table's concern.
    const toAdmin = found.flatMap((f) => f.details!.split('; ')).filter((x) => x.endsWith(':role/ec2-admin'));
    expect(toAdmin).toEqual(method ? [`${method}: arn:aws:iam::${ACCOUNT}:role/ec2-admin`] : []);
  });
});

describe('missing inputs', () => {
  it('reports practices whose inputs are missing as not assessed, never as passing', () => {
    const only = { credentialReport: readCredentialReportCsv(credentialReportCsv(baselineReportRows()))! };
    const report = advise(only, { now: NOW });
    const byNumber = new Map(report.practices.map((p) => [p.number, p]));
    expect(byNumber.get(5)).toMatchObject({ assessed: false, findings: [] });
    expect(byNumber.get(5)?.score).toBeUndefined();
    expect(byNumber.get(6)?.assessed).toBe(false);
    expect(byNumber.get(2)?.notAssessed.map((n) => n.checkId)).toContain('privilege-escalation');
    expect(byNumber.get(7)).toMatchObject({ assessed: true, score: 100 });
    expect(report.inputs).toEqual(['credential-report']);
  });

  it('has no overall score when nothing was given', () => {
    const report = advise({}, { now: NOW });
    expect(report.overallScore).toBeUndefined();
    expect(report.practices.every((p) => !p.assessed)).toBe(true);
  });

  it('takes root keys and MFA from the account summary when there is no credential report', () => {
    const report = advise({ accountSummary: readAccountSummary({ SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 1 } })! }, { now: NOW });
    expect(report.practices.flatMap((p) => p.findings).map((f) => f.checkId)).toEqual(['root-access-keys', 'root-mfa']);
  });
});

describe('scores', () => {
  it('takes 40/20/10/5 per critical/high/medium/low finding and averages assessed practices', () => {
    const report = advise(inputs({ report: (r) => ((row(r, '<root_account>').mfa = false), (row(r, 'bob').mfa = false)) }), { now: NOW });
    expect(report.practices[8]!.score).toBe(100 - 40 - 20);
    expect(report.overallScore).toBe(Math.round((100 * 10 + 40) / 11));
  });
});

describe('the MFA fix', () => {
  it('names the MFA device in the user’s account', () => {
    const f = findings(inputs({ report: (r) => (row(r, 'bob').mfa = false) }))[0]!;
    expect(f.fix).toEqual({
      kind: 'command',
      command: `aws iam create-virtual-mfa-device --virtual-mfa-device-name bob --outfile bob-mfa.png --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name bob --serial-number arn:aws:iam::${ACCOUNT}:mfa/bob --authentication-code1 CODE1 --authentication-code2 CODE2`,
    });
  });
});

describe('PassRole fixes', () => {
  it('move PassRole into a statement of its own, leaving the other actions as they were', () => {
    const found = findings(inputs({ account: (a) => (a.roles[0]!.inline!['launch'] = policyDoc(allow(['ec2:RunInstances', 'iam:PassRole']))) }));
    const anyRole = found.find((f) => f.checkId === 'pass-role-any-role')!;
    expect(anyRole.fix.kind === 'policyDiff' && anyRole.fix.diff).toBe(
      [
        '  {',
        '    "Version": "2012-10-17",',
        '    "Statement": [',
        '      {',
        '        "Effect": "Allow",',
        '-       "Action": [',
        '-         "ec2:RunInstances",',
        '-         "iam:PassRole"',
        '-       ],',
        '+       "Action": "ec2:RunInstances",',
        '        "Resource": "*"',
        '+     },',
        '+     {',
        '+       "Effect": "Allow",',
        '+       "Action": "iam:PassRole",',
        `+       "Resource": "arn:aws:iam::${ACCOUNT}:role/ROLE_TO_PASS"`,
        '      }',
        '    ]',
        '  }',
      ].join('\n'),
    );
    const condition = found.find((f) => f.checkId === 'pass-role-without-service-condition')!;
    expect(condition.fix.kind === 'policyDiff' && condition.fix.diff).toContain('+         "StringEquals": {\n+           "iam:PassedToService": "SERVICE.amazonaws.com"');
  });

  it('leave a PassRole pattern to the author', () => {
    const found = findings(inputs({ account: (a) => (a.roles[0]!.inline!['launch'] = policyDoc(allow(['ec2:RunInstances', 'iam:Pass*']))) }));
    expect(found.find((f) => f.checkId === 'pass-role-any-role')!.fix).toEqual({ kind: 'manual', description: 'Name the roles that may be passed.' });
  });
});
