// The audit benchmark's workload: a seeded, deterministic stream of CloudTrail events as a small
// organisation produces them (4 accounts, 50 IAM users with their access keys, roles assumed by
// people and machines, a read-heavy mix of IAM/STS/sign-in/CloudTrail calls, some refused), spread
// over 90 days. Rows are built by the server's own `toNewAuditEvent`, so records, lookup columns
// and resources are exactly what the running server stores. The same seed gives the same events,
// so each dialect loads identical data without the stream ever being held in memory.
import { toNewAuditEvent } from '../../packages/server/dist/audit/index.js';

/** The trail's time span: 90 days ending at this instant. */
export const END_TIME = Date.UTC(2026, 10, 1, 0, 0, 0);
export const SPAN_MS = 90 * 24 * 3600 * 1000;
export const START_TIME = END_TIME - SPAN_MS;

/** Small, fast, seeded PRNG (mulberry32): the same seed gives the same workload on every run. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const idOf = (r, prefix, n = 16) => {
  let s = prefix;
  for (let i = 0; i < n; i++) s += ALNUM[Math.floor(r() * ALNUM.length)];
  return s;
};
const HEX = '0123456789abcdef';
function uuid(r) {
  let s = '';
  for (let i = 0; i < 32; i++) s += HEX[Math.floor(r() * 16)];
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

/** Picks from `[item, weight]` pairs by weight. */
function weighted(entries) {
  const total = entries.reduce((n, [, w]) => n + w, 0);
  const cumulative = [];
  let acc = 0;
  for (const [item, w] of entries) cumulative.push([item, (acc += w) / total]);
  return (r) => {
    const x = r();
    for (const [item, c] of cumulative) if (x < c) return item;
    return cumulative[cumulative.length - 1][0];
  };
}

const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yusuf', 'zoe', 'amara', 'bilal', 'chen', 'dmitri', 'elif', 'farah', 'goran', 'hana', 'ines'];
const MACHINES = ['ci-deploy', 'terraform', 'backup-agent', 'monitoring', 'github-actions', 'jenkins', 'log-shipper', 'cost-reporter'];
const ROLE_NAMES = ['OrganizationAccountAccessRole', 'AdminRole', 'ReadOnlyRole', 'DeployRole', 'LambdaExecutionRole', 'EC2InstanceRole', 'SecurityAuditRole', 'BreakGlassRole', 'DataPipelineRole', 'EKSNodeRole'];
const POLICY_NAMES = ['DeployPolicy', 'S3ReadAppBuckets', 'KmsDecryptApp', 'DenyOutsideRegions', 'TeamBoundary', 'CloudWatchWrite', 'SecretsReadOnly', 'EcrPushPull'];
const AWS_POLICIES = ['ReadOnlyAccess', 'AdministratorAccess', 'SecurityAudit', 'AmazonS3ReadOnlyAccess', 'PowerUserAccess', 'IAMReadOnlyAccess'];
const GROUP_NAMES = ['Admins', 'Developers', 'Auditors', 'Operators', 'ReadOnly'];
const AGENTS = [
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#iam.list-roles',
  'aws-sdk-js/3.637.0 ua/2.1 os/linux#5.10.223 lang/js md/nodejs#20.17.0 api/iam#3.637.0 m/E',
  'Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#6.1.102 md/arch#x86_64 lang/python#3.12.5 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.162',
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.64.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.4 ua/2.1 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/iam#1.34.3',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
];
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::app-data-*', 'arn:aws:s3:::app-data-*/*'] }] });

/** Accounts and how much of the traffic each sees. */
const ACCOUNT_PLAN = [
  { id: '111122223333', share: 0.4, users: 18 },
  { id: '444455556666', share: 0.25, users: 14 },
  { id: '777788889999', share: 0.2, users: 12 },
  { id: '210987654321', share: 0.15, users: 6 },
];

/**
 * The organisation the events come from: accounts with users (each with one or two access keys
 * and a Zipf-like activity weight), roles, policies and groups.
 */
export function makeWorld(seed = 20261101) {
  const r = rng(seed);
  let human = 0;
  let machine = 0;
  const accounts = ACCOUNT_PLAN.map((plan) => {
    const users = [];
    for (let i = 0; i < plan.users; i++) {
      const isMachine = i % 4 === 3;
      const name = isMachine ? `${MACHINES[machine++ % MACHINES.length]}${machine > MACHINES.length ? `-${machine}` : ''}` : `${FIRST[human++ % FIRST.length]}.${pick(r, ['ng', 'smith', 'garcia', 'kim', 'okafor', 'muller'])}`;
      const keys = [idOf(r, 'AKIA')];
      if (r() < 0.4) keys.push(idOf(r, 'AKIA'));
      users.push({ name, id: idOf(r, 'AIDA', 17), keys, weight: 1 / Math.pow(i + 1, 0.9), machine: isMachine });
    }
    const roles = ROLE_NAMES.map((name) => ({ name, id: idOf(r, 'AROA', 17), arn: `arn:aws:iam::${plan.id}:role/${name}` }));
    const policies = POLICY_NAMES.map((name) => `arn:aws:iam::${plan.id}:policy/${name}`).concat(AWS_POLICIES.map((n) => `arn:aws:iam::aws:policy/${n}`));
    return { id: plan.id, share: plan.share, users, roles, policies, groups: GROUP_NAMES, rootKey: idOf(r, 'AKIA'), pickUser: weighted(users.map((u) => [u, u.weight])) };
  });
  return { accounts, pickAccount: weighted(accounts.map((a) => [a, a.share])) };
}

// The operations, by weight (about 93% read-only, as management-event trails typically are), with
// the request and response each builds from a random context `c`.
const OPERATIONS = [
  ['iam', 'GetUser', true, 6, (c) => ({ UserName: c.user.name })],
  ['iam', 'ListUsers', true, 5, () => ({ MaxItems: 100 })],
  ['iam', 'GetRole', true, 8, (c) => ({ RoleName: c.role.name })],
  ['iam', 'ListRoles', true, 6, () => ({})],
  ['iam', 'ListPolicies', true, 4, () => ({ Scope: 'Local', OnlyAttached: false })],
  ['iam', 'GetPolicy', true, 5, (c) => ({ PolicyArn: c.policy })],
  ['iam', 'GetPolicyVersion', true, 5, (c) => ({ PolicyArn: c.policy, VersionId: 'v3' })],
  ['iam', 'ListAttachedRolePolicies', true, 6, (c) => ({ RoleName: c.role.name })],
  ['iam', 'ListRolePolicies', true, 4, (c) => ({ RoleName: c.role.name })],
  ['iam', 'GetRolePolicy', true, 3, (c) => ({ RoleName: c.role.name, PolicyName: 'inline-app' })],
  ['iam', 'ListAccessKeys', true, 4, (c) => ({ UserName: c.user.name })],
  ['iam', 'ListGroupsForUser', true, 3, (c) => ({ UserName: c.user.name })],
  ['iam', 'ListAttachedUserPolicies', true, 3, (c) => ({ UserName: c.user.name })],
  ['iam', 'GetAccessKeyLastUsed', true, 2, (c) => ({ AccessKeyId: c.user.keys[0] })],
  ['iam', 'ListMFADevices', true, 2, (c) => ({ UserName: c.user.name })],
  ['iam', 'ListInstanceProfilesForRole', true, 2, (c) => ({ RoleName: c.role.name })],
  ['iam', 'GetAccountSummary', true, 1, () => undefined],
  ['sts', 'GetCallerIdentity', true, 12, () => undefined],
  ['sts', 'AssumeRole', true, 8, (c) => ({ RoleArn: c.role.arn, RoleSessionName: c.session, DurationSeconds: 3600 }), (c) => ({
    Credentials: { AccessKeyId: c.tempKey, SecretAccessKey: 'redacted-by-the-recorder', SessionToken: 'redacted-by-the-recorder', Expiration: new Date(c.time + 3600_000) },
    AssumedRoleUser: { AssumedRoleId: `${c.role.id}:${c.session}`, Arn: `arn:aws:sts::${c.account.id}:assumed-role/${c.role.name}/${c.session}` },
  })],
  ['sts', 'GetSessionToken', true, 1, () => ({ DurationSeconds: 43200 })],
  ['cloudtrail', 'LookupEvents', true, 1, (c) => ({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: c.user.name }], MaxResults: 50 })],
  ['iam', 'CreateUser', false, 0.3, (c) => ({ UserName: `tmp-${c.n}` }), (c) => ({ User: { Path: '/', UserName: `tmp-${c.n}`, UserId: `AIDA${c.n}`, Arn: `arn:aws:iam::${c.account.id}:user/tmp-${c.n}`, CreateDate: new Date(c.time) } })],
  ['iam', 'DeleteUser', false, 0.2, (c) => ({ UserName: `tmp-${c.n - 1000}` })],
  ['iam', 'CreateAccessKey', false, 0.4, (c) => ({ UserName: c.user.name }), (c) => ({ AccessKey: { UserName: c.user.name, AccessKeyId: c.user.keys.at(-1), Status: 'Active', SecretAccessKey: 'redacted-by-the-recorder', CreateDate: new Date(c.time) } })],
  ['iam', 'UpdateAccessKey', false, 0.2, (c) => ({ UserName: c.user.name, AccessKeyId: c.user.keys[0], Status: 'Inactive' })],
  ['iam', 'DeleteAccessKey', false, 0.3, (c) => ({ UserName: c.user.name, AccessKeyId: c.user.keys[0] })],
  ['iam', 'AttachRolePolicy', false, 0.6, (c) => ({ RoleName: c.role.name, PolicyArn: c.policy })],
  ['iam', 'DetachRolePolicy', false, 0.3, (c) => ({ RoleName: c.role.name, PolicyArn: c.policy })],
  ['iam', 'PutRolePolicy', false, 0.5, (c) => ({ RoleName: c.role.name, PolicyName: 'inline-app', PolicyDocument: DOC })],
  ['iam', 'CreateRole', false, 0.3, (c) => ({ RoleName: c.role.name, AssumeRolePolicyDocument: TRUST }), (c) => ({ Role: { Path: '/', RoleName: c.role.name, RoleId: c.role.id, Arn: c.role.arn, CreateDate: new Date(c.time), AssumeRolePolicyDocument: TRUST } })],
  ['iam', 'DeleteRole', false, 0.2, (c) => ({ RoleName: c.role.name })],
  ['iam', 'UpdateAssumeRolePolicy', false, 0.2, (c) => ({ RoleName: c.role.name, PolicyDocument: TRUST })],
  ['iam', 'TagRole', false, 0.4, (c) => ({ RoleName: c.role.name, Tags: [{ Key: 'team', Value: 'platform' }, { Key: 'env', Value: 'prod' }] })],
  ['iam', 'TagUser', false, 0.3, (c) => ({ UserName: c.user.name, Tags: [{ Key: 'costcenter', Value: '4711' }] })],
  ['iam', 'CreatePolicyVersion', false, 0.4, (c) => ({ PolicyArn: c.policy, PolicyDocument: DOC, SetAsDefault: true })],
  ['iam', 'AddUserToGroup', false, 0.3, (c) => ({ GroupName: pick(c.r, c.account.groups), UserName: c.user.name })],
  ['iam', 'CreateLoginProfile', false, 0.1, (c) => ({ UserName: c.user.name, Password: 'redacted-by-the-recorder', PasswordResetRequired: true })],
  ['signin', 'ConsoleLogin', false, 0.8, () => undefined, () => ({ ConsoleLogin: 'Success' })],
];
const pickOperation = weighted(OPERATIONS.map((op) => [op, op[3]]));

/** Every event name the workload produces, with its event source. */
export const EVENT_NAMES = OPERATIONS.map(([service, name]) => ({ name, source: `${service}.amazonaws.com` }));
/** The event sources in the workload. */
export const EVENT_SOURCES = [...new Set(EVENT_NAMES.map((e) => e.source))];
/** The resource types the workload's requests and responses name. */
export const RESOURCE_TYPES = ['AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::AccessKey', 'AWS::IAM::Group', 'AWS::STS::AssumedRole'];

/**
 * The `index`-th to `index + count - 1`-th rows of a trail of `total` events (`NewAuditEvent`s,
 * ready for `appendAuditEvents`), oldest first. `stream` carries the generator's state between
 * batches: create it with `startStream(world)` and pass the batches in order.
 */
export function nextBatch(stream, count) {
  const { world, r, total } = stream;
  const rows = [];
  for (let k = 0; k < count && stream.index < total; k++, stream.index++) {
    const i = stream.index;
    // Evenly spread, jittered by up to a few seconds: the server timestamps on receipt, and
    // batched read-only events can reach the table slightly out of time order.
    const time = START_TIME + Math.floor((i / total) * SPAN_MS) + Math.floor(r() * 3000);
    const account = world.pickAccount(r);
    const user = account.pickUser(r);
    const role = pick(r, account.roles);
    const op = pickOperation(r);
    const [service, eventName, readOnly, , buildRequest, buildResponse] = op;
    const c = { r, account, user, role, policy: pick(r, account.policies), time, n: i, session: '', tempKey: '' };
    const who = r();
    let caller;
    let claimedAccessKeyId;
    if (who < 0.6) {
      caller = { type: 'IAMUser', accountId: account.id, arn: `arn:aws:iam::${account.id}:user/${user.name}`, principalId: user.id, userName: user.name, accessKeyId: eventName === 'ConsoleLogin' ? undefined : pick(r, user.keys), mfaAuthenticated: false };
    } else if (who < 0.95) {
      // A role session: people assume roles under their own name; machines get an instance id.
      const session = user.machine ? `i-0${(i % 997).toString(16).padStart(8, '0')}ab` : user.name;
      const sessionRole = pick(r, account.roles);
      const hour = Math.floor(time / 3600_000);
      const tempKey = `ASIA${(hour * 31 + sessionRole.name.length * 7 + session.length).toString(36).toUpperCase().padStart(16, 'Q')}`;
      c.session = session;
      c.tempKey = tempKey;
      caller = {
        type: 'AssumedRole', accountId: account.id, arn: `arn:aws:sts::${account.id}:assumed-role/${sessionRole.name}/${session}`, principalId: `${sessionRole.id}:${session}`, accessKeyId: tempKey, mfaAuthenticated: false,
        session: { issuerArn: sessionRole.arn, issuerType: 'Role', issuerName: sessionRole.name, issuerPrincipalId: sessionRole.id, sessionName: session, createdAt: new Date(hour * 3600_000), expiresAt: new Date((hour + 1) * 3600_000), mfaAuthenticated: false },
      };
    } else if (who < 0.97) {
      caller = { type: 'Root', accountId: account.id, arn: `arn:aws:iam::${account.id}:root`, principalId: account.id, accessKeyId: account.rootKey, mfaAuthenticated: true };
    } else {
      claimedAccessKeyId = r() < 0.5 ? pick(r, user.keys) : idOf(r, 'AKIA');
    }
    if (!c.tempKey) c.tempKey = `ASIA${i.toString(36).toUpperCase().padStart(16, 'X')}`;
    if (!c.session) c.session = `${user.name}-session`;
    const failure = r();
    const error = !caller
      ? { code: failure < 0.5 ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch', message: 'The security token included in the request is invalid.' }
      : failure < 0.04
        ? { code: 'AccessDenied', message: `User: ${caller.arn} is not authorized to perform: ${service}:${eventName} because no identity-based policy allows the ${service}:${eventName} action` }
        : failure < 0.05 && eventName.startsWith('Get')
          ? { code: 'NoSuchEntity', message: 'The requested entity cannot be found.' }
          : undefined;
    const request = buildRequest(c);
    const response = error ? undefined : buildResponse?.(c);
    rows.push(toNewAuditEvent({
      eventId: uuid(r),
      requestId: uuid(r),
      eventTime: new Date(time),
      service,
      eventSource: `${service}.amazonaws.com`,
      // IAM and sign-in are global (their events are recorded in us-east-1); STS is regional.
      global: service === 'iam' || service === 'signin',
      eventName,
      region: service === 'sts' ? pick(r, ['us-east-1', 'eu-west-1', 'us-west-2']) : 'us-east-1',
      sourceIp: user.machine ? `10.${(i >> 16) & 255}.${(i >> 8) & 3}.${(user.keys[0].charCodeAt(5) % 250) + 1}` : pick(r, ['203.0.113.17', '198.51.100.42', '192.0.2.200', '203.0.113.88']),
      userAgent: eventName === 'ConsoleLogin' ? AGENTS[4] : user.machine ? AGENTS[3] : pick(r, AGENTS.slice(0, 3)),
      ...(caller ? { caller } : {}),
      ...(claimedAccessKeyId ? { claimedAccessKeyId } : {}),
      accountId: account.id,
      ...(request ? { request } : {}),
      ...(response ? { response } : {}),
      ...(error ? { error } : {}),
      readOnly,
      ...(eventName === 'ConsoleLogin' ? { eventType: 'AwsConsoleSignIn', additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' } } : {}),
      tls: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${service === 'signin' ? 'signin' : service}.amazonaws.com` },
    }));
  }
  return rows;
}

/** A fresh generator over a trail of `total` events. */
export function startStream(world, total, seed = 4711) {
  return { world, r: rng(seed), total, index: 0 };
}
