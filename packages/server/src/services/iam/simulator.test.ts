import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { attachPolicy } from './attachments.js';
import { addUserToGroup, createGroup } from './groups.js';
import { putInlinePolicy } from './inline-policies.js';
import { createPolicy } from './managed-policies.js';
import { putPermissionsBoundary } from './permissions-boundaries.js';
import { createRole } from './roles.js';
import { getContextKeysForCustomPolicy, getContextKeysForPrincipalPolicy, simulateCustomPolicy, simulatePrincipalPolicy } from './simulator.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:user/${name}`;

describe.each(testDialects())('policy simulator (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
    await createUser(f.deps, { userName: 'sim' }, f.root());
    await createGroup(f.deps, { groupName: 'sim-g' }, f.root());
    await addUserToGroup(f.deps, { groupName: 'sim-g', userName: 'sim' }, f.root());
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'sim', policyName: 'S3Read', policyDocument: policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }]) }, f.root());
    await putInlinePolicy(f.deps, { kind: 'group', entityName: 'sim-g', policyName: 'NoDelete', policyDocument: policy([{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }]) }, f.root());
    await attachPolicy(f.deps, { kind: 'user', entityName: 'sim', policyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }, f.root());
  });
  afterAll(() => f.dispose());

  it('decides each action on each resource from the user, group and managed policies, naming the statements', async () => {
    const page = await simulatePrincipalPolicy(
      f.deps,
      { policySourceArn: userArn('sim'), actionNames: ['s3:GetObject', 's3:DeleteObject', 'iam:ListUsers', 'ec2:RunInstances'], resourceArns: ['arn:aws:s3:::data/a'] },
      f.root(),
    );
    expect(page.results.map((r) => [r.actionName, r.decision])).toEqual([
      ['s3:GetObject', 'allowed'],
      ['s3:DeleteObject', 'explicitDeny'],
      ['iam:ListUsers', 'allowed'],
      ['ec2:RunInstances', 'implicitDeny'],
    ]);
    expect(page.results[0]!.matchedStatements).toEqual([
      { sourcePolicyId: 'S3Read', sourcePolicyType: 'user', startPosition: expect.any(Object), endPosition: expect.any(Object) },
    ]);
    expect(page.results[1]!.matchedStatements[0]).toMatchObject({ sourcePolicyId: 'NoDelete', sourcePolicyType: 'group' });
    expect(page.results[2]!.matchedStatements[0]).toMatchObject({ sourcePolicyId: 'IAMReadOnlyAccess', sourcePolicyType: 'aws-managed' });
    expect(page.results[0]!.resourceSpecificResults).toEqual([expect.objectContaining({ resourceName: 'arn:aws:s3:::data/a', decision: 'allowed' })]);
  });

  it('simulates what IAM would store: a root-user resource (AWS\'s root-task policies) is simulated, a malformed one refused', async () => {
    const doc = policy([{ Effect: 'Allow', Action: 'iam:ListAccessKeys', Resource: 'arn:aws:iam::*:root' }]);
    const page = await simulateCustomPolicy(f.deps, { policyInputList: [doc], actionNames: ['iam:ListAccessKeys'], resourceArns: [`arn:aws:iam::${ACCOUNT_ID}:root`] }, f.root());
    expect(page.results[0]).toMatchObject({ decision: 'allowed' });
    const malformed = policy([{ Effect: 'Allow', Action: 'iam:ListAccessKeys', Resource: 'arn:aws:iam::*:rootx' }]);
    expect((await failure(() => simulateCustomPolicy(f.deps, { policyInputList: [malformed], actionNames: ['iam:ListAccessKeys'] }, f.root()))).code).toBe('MalformedPolicyDocument');
  });

  it('uses typed context entries and reports missing context values', async () => {
    const doc = policy([
      { Effect: 'Allow', Action: 'ec2:StartInstances', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'ec2:Count': '5' } } },
    ]);
    const missing = await simulateCustomPolicy(f.deps, { policyInputList: [doc], actionNames: ['ec2:StartInstances'] }, f.root());
    expect(missing.results[0]).toMatchObject({ decision: 'implicitDeny', resourceName: '*' });
    expect([...missing.results[0]!.missingContextValues].sort()).toEqual(['aws:MultiFactorAuthPresent', 'aws:SourceIp', 'ec2:Count']);
    const entries = [
      { name: 'aws:SourceIp', values: ['10.2.3.4'], type: 'ip' as const },
      { name: 'aws:MultiFactorAuthPresent', values: ['true'], type: 'boolean' as const },
      { name: 'ec2:Count', values: ['3'], type: 'numeric' as const },
    ];
    const ok = await simulateCustomPolicy(f.deps, { policyInputList: [doc], actionNames: ['ec2:StartInstances'], contextEntries: entries }, f.root());
    expect(ok.results[0]).toMatchObject({ decision: 'allowed', missingContextValues: [] });
    expect(ok.results[0]!.matchedStatements[0]).toMatchObject({ sourcePolicyId: 'PolicyInputList.1', sourcePolicyType: 'none', startPosition: { line: 1 } });
    expect((await failure(() => simulateCustomPolicy(f.deps, { policyInputList: [doc], actionNames: ['ec2:StartInstances'], contextEntries: [{ name: 'ec2:Count', values: ['x'], type: 'numeric' }] }, f.root()))).code).toBe('InvalidInput');
    // Numbers and dates as the Numeric* and Date* operators read them: a value they could not
    // compare would otherwise match nothing, silently (`2019-04-25 11:00:00` has a space for a `T`).
    for (const [type, value] of [['ip', 'not-an-ip'], ['ipList', '10.0.0.300'], ['boolean', 'yes'], ['date', 'someday'], ['date', '2019-04-25 11:00:00'], ['dateList', 'April 25, 2019'], ['numeric', '0x10'], ['numericList', '1e3']] as const) {
      const e = await failure(() => simulateCustomPolicy(f.deps, { policyInputList: [doc], actionNames: ['ec2:StartInstances'], contextEntries: [{ name: 'aws:SourceIp', values: [value], type }] }, f.root()));
      expect(e).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining(`Invalid value ${value} for context key aws:SourceIp`) });
    }
    for (const value of ['10.1.2.3', '2001:db8::1', '10.0.0.0/8']) {
      await simulateCustomPolicy(f.deps, { policyInputList: [doc], actionNames: ['ec2:StartInstances'], contextEntries: [{ name: 'aws:SourceIp', values: [value], type: 'ip' }] }, f.root());
    }
    const dated = policy([{ Effect: 'Allow', Action: 'ec2:StartInstances', Resource: '*', Condition: { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } } }]);
    for (const value of ['2021-01-01T00:00:00Z', '2021-01-01T01:00:00+01:00', '2021-06', '1700000000']) {
      const page = await simulateCustomPolicy(f.deps, { policyInputList: [dated], actionNames: ['ec2:StartInstances'], contextEntries: [{ name: 'aws:TokenIssueTime', values: [value], type: 'date' }] }, f.root());
      expect([value, page.results[0]!.decision]).toEqual([value, 'allowed']);
    }
  });

  // Each row: a simulation and what AWS's API reference (or its published example) says comes back.
  const shapeCases: { name: string; source: string; input: Parameters<typeof simulateCustomPolicy>[1]; expected: Record<string, unknown> }[] = [
    {
      // The AWS CLI reference's simulate-custom-policy example, verbatim: the statement's braces are
      // at columns 37 and 166; AWS answers 38 and 167 (the column after each brace).
      name: 'StartPosition/EndPosition: the column after each brace, as in the AWS CLI example',
      source: 'awscli examples/iam/simulate-custom-policy.rst',
      input: {
        policyInputList: ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'],
        actionNames: ['dynamodb:CreateBackup'],
        contextEntries: [{ name: 'aws:CurrentTime', values: ['2019-04-25T11:00:00Z'], type: 'date' }],
      },
      expected: { decision: 'allowed', matchedStatements: [{ sourcePolicyId: 'PolicyInputList.1', sourcePolicyType: 'none', startPosition: { line: 1, column: 38 }, endPosition: { line: 1, column: 167 } }], missingContextValues: [] },
    },
    {
      name: 'StartPosition/EndPosition of a statement on its own lines',
      // The one-line example above, extended to lines: the column after each brace on its own
      // line. AWS's multi-line example (simulate-principal-policy.rst) does not show its policy
      // text, so these positions are the engine's reading, not checked against AWS.
      source: 'extension of awscli examples/iam/simulate-custom-policy.rst (unverified for several lines)',
      input: { policyInputList: ['{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:*",\n      "Resource": "*"\n    }\n  ]\n}'], actionNames: ['s3:GetObject'] },
      expected: { matchedStatements: [{ sourcePolicyId: 'PolicyInputList.1', sourcePolicyType: 'none', startPosition: { line: 4, column: 6 }, endPosition: { line: 8, column: 6 } }] },
    },
    {
      // AWS: AllowedByPermissionsBoundary is false when "the action is explicitly denied by the
      // permissions boundary", even though an identity-based Deny decided first.
      name: 'a boundary that allows and denies the action does not allow it, whatever else denies',
      source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_PermissionsBoundaryDecisionDetail.html',
      input: {
        policyInputList: [policy([{ Effect: 'Deny', Action: 's3:*', Resource: '*' }])],
        permissionsBoundaryPolicyInputList: [policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }])],
        actionNames: ['s3:GetObject'],
      },
      expected: { decision: 'explicitDeny', allowedByPermissionsBoundary: false },
    },
    {
      name: 'a boundary that allows the action allows it, though an identity-based Deny denies',
      source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_PermissionsBoundaryDecisionDetail.html',
      input: {
        policyInputList: [policy([{ Effect: 'Deny', Action: 's3:*', Resource: '*' }])],
        permissionsBoundaryPolicyInputList: [policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])],
        actionNames: ['s3:GetObject'],
      },
      expected: { decision: 'explicitDeny', allowedByPermissionsBoundary: true },
    },
    {
      // AWS: EvalDecisionDetails is "not returned" for all resources (*), and "present but empty"
      // in a same-account simulation that names a resource.
      name: 'EvalDecisionDetails: absent for *',
      source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html',
      input: { policyInputList: [policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])], actionNames: ['s3:GetObject'] },
      expected: { resourceName: '*', evalDecisionDetails: undefined },
    },
    {
      name: 'EvalDecisionDetails: present and empty for a resource of the same account',
      source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html',
      input: { policyInputList: [policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])], actionNames: ['s3:GetObject'], resourceArns: ['arn:aws:s3:::data/a'] },
      expected: { resourceName: 'arn:aws:s3:::data/a', evalDecisionDetails: {} },
    },
    {
      // AWS: with a list of resources, "any missing context values are instead included under the
      // ResourceSpecificResults parameter".
      name: 'MissingContextValues: under ResourceSpecificResults when resources are listed',
      source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html',
      input: { policyInputList: [policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }])], actionNames: ['s3:GetObject'], resourceArns: ['arn:aws:s3:::data/a'] },
      expected: { decision: 'implicitDeny', missingContextValues: [], resourceSpecificResults: [expect.objectContaining({ missingContextValues: ['aws:SecureTransport'] })] },
    },
    {
      name: 'MissingContextValues: in the result itself for *',
      source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ResourceSpecificResult.html',
      input: { policyInputList: [policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }])], actionNames: ['s3:GetObject'] },
      expected: { decision: 'implicitDeny', missingContextValues: ['aws:SecureTransport'], resourceSpecificResults: undefined },
    },
  ];
  it.each(shapeCases)('answers in AWS\'s shape: $name', async ({ input, expected }) => {
    const page = await simulateCustomPolicy(f.deps, input, f.root());
    expect(page.results[0]).toMatchObject(Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)));
    for (const [k, v] of Object.entries(expected)) if (v === undefined) expect(page.results[0]).not.toHaveProperty(k);
  });

  it('applies permissions boundaries, given or the principal own, and says whether they allowed', async () => {
    const boundary = policy([{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }]);
    const page = await simulatePrincipalPolicy(
      f.deps,
      { policySourceArn: userArn('sim'), actionNames: ['iam:ListUsers', 'iam:GetUser'], permissionsBoundaryPolicyInputList: [boundary] },
      f.root(),
    );
    expect(page.results.map((r) => [r.decision, r.allowedByPermissionsBoundary])).toEqual([['implicitDeny', false], ['allowed', true]]);
    const b = await createPolicy(f.deps, { policyName: 'SimBoundary', policyDocument: boundary }, f.root());
    await putPermissionsBoundary(f.deps, { kind: 'user', entityName: 'sim', permissionsBoundary: b.arn }, f.root());
    const own = await simulatePrincipalPolicy(f.deps, { policySourceArn: userArn('sim'), actionNames: ['iam:ListUsers'] }, f.root());
    expect(own.results[0]).toMatchObject({ decision: 'implicitDeny', allowedByPermissionsBoundary: false });
  });

  it('evaluates a resource policy with CallerArn, for roles and groups too, and pages results', async () => {
    const bucketPolicy = policy([{ Effect: 'Allow', Principal: { AWS: userArn('sim') }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::data/*' }]);
    const r = await simulateCustomPolicy(
      f.deps,
      { policyInputList: [policy([{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }])], actionNames: ['s3:PutObject'], resourceArns: ['arn:aws:s3:::data/x'], resourcePolicy: bucketPolicy, callerArn: userArn('sim') },
      f.root(),
    );
    expect(r.results[0]).toMatchObject({ decision: 'allowed', matchedStatements: [{ sourcePolicyId: 'ResourcePolicy', sourcePolicyType: 'resource' }] });

    await createRole(f.deps, { roleName: 'sim-role', assumeRolePolicyDocument: policy([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]) }, f.root());
    await putInlinePolicy(f.deps, { kind: 'role', entityName: 'sim-role', policyName: 'RolePolicy', policyDocument: policy([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }]) }, f.root());
    const role = await simulatePrincipalPolicy(f.deps, { policySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/sim-role`, actionNames: ['dynamodb:GetItem'] }, f.root());
    expect(role.results[0]).toMatchObject({ decision: 'allowed', matchedStatements: [{ sourcePolicyId: 'RolePolicy', sourcePolicyType: 'role' }] });
    // A resource policy needs a caller: the source when it is a user, else CallerArn (a user's ARN).
    const roleSource = { policySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/sim-role`, actionNames: ['s3:PutObject'], resourceArns: ['arn:aws:s3:::data/x'], resourcePolicy: bucketPolicy };
    expect(await failure(() => simulatePrincipalPolicy(f.deps, roleSource, f.root()))).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('CallerArn is required') });
    expect((await simulatePrincipalPolicy(f.deps, { ...roleSource, callerArn: userArn('sim') }, f.root())).results[0]!.decision).toBe('allowed');
    for (const callerArn of [`arn:aws:iam::${ACCOUNT_ID}:role/sim-role`, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/sim-role/s`]) {
      expect(await failure(() => simulatePrincipalPolicy(f.deps, { ...roleSource, callerArn }, f.root()))).toMatchObject({ code: 'InvalidInput', message: `Invalid CallerArn ${callerArn}: it must be the ARN of an IAM user.` });
      expect(await failure(() => simulateCustomPolicy(f.deps, { policyInputList: [policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])], actionNames: ['s3:GetObject'], callerArn }, f.root()))).toMatchObject({ code: 'InvalidInput' });
    }
    const group = await simulatePrincipalPolicy(f.deps, { policySourceArn: `arn:aws:iam::${ACCOUNT_ID}:group/sim-g`, actionNames: ['s3:DeleteObject'] }, f.root());
    expect(group.results[0]!.decision).toBe('explicitDeny');

    const actions = ['s3:GetObject', 's3:PutObject', 's3:ListBucket'];
    const p1 = await simulatePrincipalPolicy(f.deps, { policySourceArn: userArn('sim'), actionNames: actions, maxItems: 2 }, f.root());
    expect(p1.results).toHaveLength(2);
    expect(p1.isTruncated).toBe(true);
    const p2 = await simulatePrincipalPolicy(f.deps, { policySourceArn: userArn('sim'), actionNames: actions, maxItems: 2, marker: p1.marker }, f.root());
    expect(p2.results.map((x) => x.actionName)).toEqual(['s3:ListBucket']);
    expect(p2.isTruncated).toBe(false);
  });

  it('lists the context keys policies use (conditions and policy variables), once each', async () => {
    const doc = policy([
      { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*', Condition: { StringEquals: { 's3:prefix': '${aws:PrincipalTag/team}' }, Bool: { 'aws:SecureTransport': 'true' } } },
      { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'AWS:SecureTransport': 'false' } } },
    ]);
    expect(getContextKeysForCustomPolicy({ policyInputList: [doc] })).toEqual(['aws:username', 'aws:PrincipalTag/team', 's3:prefix', 'aws:SecureTransport']);
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'sim', policyName: 'Keys', policyDocument: policy([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:Region': 'eu-west-1' } } }]) }, f.root());
    const keys = await getContextKeysForPrincipalPolicy(f.deps, { policySourceArn: userArn('sim'), policyInputList: [doc] }, f.root());
    expect(keys).toContain('ec2:Region');
    expect(keys).toContain('s3:prefix');
    expect((await failure(() => getContextKeysForPrincipalPolicy(f.deps, { policySourceArn: userArn('ghost') }, f.root()))).code).toBe('NoSuchEntity');
  });

  it('refuses unknown sources, malformed input policies and bad action names', async () => {
    expect(await failure(() => simulatePrincipalPolicy(f.deps, { policySourceArn: userArn('nobody'), actionNames: ['s3:GetObject'] }, f.root()))).toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name nobody cannot be found.',
    });
    expect((await failure(() => simulatePrincipalPolicy(f.deps, { policySourceArn: 'arn:aws:s3:::x', actionNames: ['s3:GetObject'] }, f.root()))).code).toBe('InvalidInput');
    expect((await failure(() => simulateCustomPolicy(f.deps, { policyInputList: ['{'], actionNames: ['s3:GetObject'] }, f.root()))).code).toBe('MalformedPolicyDocument');
    const noVendor = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3', Resource: '*' }] });
    expect(await failure(() => simulateCustomPolicy(f.deps, { policyInputList: [policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]), noVendor], actionNames: ['s3:GetObject'] }, f.root()))).toEqual({
      code: 'MalformedPolicyDocument',
      message: 'PolicyInputList.2: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    });
    expect((await failure(() => simulateCustomPolicy(f.deps, { policyInputList: [policy([{ Effect: 'Allow', Action: '*', Resource: '*' }])], actionNames: ['ec2:RunInstances'], resourceHandlingOption: 'EC2-VPC-InstanceStore' }, f.root()))).code).toBe('InvalidInput');
    expect((await failure(() => simulateCustomPolicy(f.deps, { policyInputList: [policy([{ Effect: 'Allow', Action: '*', Resource: '*' }])], actionNames: ['GetObject'] }, f.root()))).code).toBe('InvalidInput');
  });
});

describe('policy simulator: bounded work per request', () => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture('sqlite');
  });
  afterAll(() => f.dispose());

  const doc = policy([{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*', Condition: { StringLike: { 'aws:username': 'x*' } } }]);
  const actions = Array.from({ length: 1500 }, (_, i) => `s3:GetObject${i}`);
  const resources = Array.from({ length: 1500 }, (_, i) => `arn:aws:s3:::b/k${i}`);

  it('evaluates only the requested page of 1,500 actions × 1,500 resources, and pages on through the pairs', async () => {
    const started = performance.now();
    const p1 = await simulateCustomPolicy(f.deps, { policyInputList: [doc], actionNames: actions, resourceArns: resources, maxItems: 2 }, f.root());
    expect(performance.now() - started).toBeLessThan(1000);
    expect(p1.results.map((r) => [r.actionName, r.resourceName])).toEqual([
      ['s3:GetObject0', 'arn:aws:s3:::b/k0'],
      ['s3:GetObject0', 'arn:aws:s3:::b/k1'],
    ]);
    expect(p1.isTruncated).toBe(true);
    const p2 = await simulateCustomPolicy(f.deps, { policyInputList: [doc], actionNames: actions, resourceArns: resources, maxItems: 1499, marker: p1.marker }, f.root());
    expect(p2.results.at(-1)).toMatchObject({ actionName: 's3:GetObject1', resourceName: 'arn:aws:s3:::b/k0' });
  });

  it('hands the event loop back between slices while it evaluates a full page', async () => {
    // A clock that advances 1 ms per reading makes the slicing deterministic: with 5 ms slices a
    // page of 1,000 evaluations must yield about 200 times, whatever the machine's speed.
    let fakeNow = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (fakeNow += 1));
    let turns = 0;
    let running = true;
    const tick = (): void => {
      turns++;
      if (running) setImmediate(tick);
    };
    try {
      setImmediate(tick);
      await simulateCustomPolicy(f.deps, { policyInputList: [doc], actionNames: actions, resourceArns: resources, maxItems: 1000, marker: Buffer.from('1').toString('base64url') }, f.root());
    } finally {
      running = false;
      clock.mockRestore();
    }
    expect(turns).toBeGreaterThanOrEqual(100);
  });
});

describe('policy simulator: the source is the entity its whole ARN names', () => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture('sqlite');
    await createUser(f.deps, { userName: 'admin' }, f.root());
    await createUser(f.deps, { userName: 'dev-user', path: '/dev/' }, f.root());
    await createGroup(f.deps, { groupName: 'ops', path: '/teams/' }, f.root());
  });
  afterAll(() => f.dispose());

  it.each([
    ['a path the user does not have', `arn:aws:iam::${ACCOUNT_ID}:user/dev/admin`, 'NoSuchEntity'],
    ['no path for a user that has one', `arn:aws:iam::${ACCOUNT_ID}:user/dev-user`, 'NoSuchEntity'],
    ['another path for a group', `arn:aws:iam::${ACCOUNT_ID}:group/ops`, 'NoSuchEntity'],
    ['the user at its path', `arn:aws:iam::${ACCOUNT_ID}:user/dev/dev-user`, undefined],
    ['the user without a path', `arn:aws:iam::${ACCOUNT_ID}:user/admin`, undefined],
    ['the group at its path', `arn:aws:iam::${ACCOUNT_ID}:group/teams/ops`, undefined],
  ])('%s', async (_name, policySourceArn, code) => {
    const run = () => simulatePrincipalPolicy(f.deps, { policySourceArn, actionNames: ['s3:GetObject'] }, f.root());
    if (code) {
      expect((await failure(run)).code).toBe(code);
      expect((await failure(() => getContextKeysForPrincipalPolicy(f.deps, { policySourceArn }, f.root()))).code).toBe(code);
    } else {
      expect((await run()).results).toHaveLength(1);
    }
  });
});
