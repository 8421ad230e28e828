import { describe, expect, it } from 'vitest';
import { changeProblem, whatIf, type PolicyChange } from './what-if.js';
import { readAuthorizationDetails } from '../inputs/authorization-details.js';
import { testCatalog } from '../test-fixtures/test-catalog.js';
import { ACCOUNT, NOW, OTHER_ACCOUNT, allow, authorizationDetailsJson, baselineAccount, policyDoc } from '../test-fixtures/test-account.js';

const details = () => readAuthorizationDetails(authorizationDetailsJson(baselineAccount()))!;
const run = (...changes: PolicyChange[]) => whatIf(details(), changes, { catalog: testCatalog, now: NOW });
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const DEV_POLICY = `arn:aws:iam::${ACCOUNT}:policy/DeveloperAccess`;

describe('policy what-if', () => {
  it('lists what a principal gains from a new attachment, and no one else', () => {
    const r = run({ type: 'attachPolicy', user: 'bob', policyArn: `arn:aws:iam::${ACCOUNT}:policy/UserAdmin`, document: policyDoc(allow(['iam:CreateUser', 'iam:DeleteUser'], `arn:aws:iam::${ACCOUNT}:user/*`)) });
    expect(r.diffs.map((d) => d.principal)).toEqual([BOB]);
    expect(r.diffs[0]!.lost).toEqual([]);
    expect(r.diffs[0]!.gained).toEqual(
      expect.arrayContaining([
        { action: 'iam:CreateUser', resource: BOB },
        { action: 'iam:DeleteUser', resource: BOB },
        { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/*` },
      ]),
    );
    expect(r.diffs[0]!.gained.every((g) => g.action === 'iam:CreateUser' || g.action === 'iam:DeleteUser')).toBe(true);
    expect(r.truncated).toBe(false);
  });

  it('lists what every holder loses from a new policy version', () => {
    const r = run({
      type: 'policyVersion',
      policyArn: DEV_POLICY,
      document: policyDoc(allow('s3:GetObject', 'arn:aws:s3:::dev-artifacts/*'), allow(['iam:GetUser', 'iam:ListAccessKeys'], `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`)),
    });
    expect(r.diffs.map((d) => [d.principal, d.gained, d.lost])).toEqual([
      [ALICE, [], [{ action: 's3:PutObject', resource: 'arn:aws:s3:::dev-artifacts/*' }]],
      [BOB, [], [{ action: 's3:PutObject', resource: 'arn:aws:s3:::dev-artifacts/*' }]],
    ]);
  });

  it('evaluates a permissions boundary', () => {
    const r = run({ type: 'permissionsBoundary', user: 'bob', policyArn: `arn:aws:iam::${ACCOUNT}:policy/S3Only`, document: policyDoc(allow('s3:*')) });
    expect(r.diffs).toEqual([{ principal: BOB, gained: [], lost: [{ action: 'iam:GetUser', resource: BOB }, { action: 'iam:ListAccessKeys', resource: BOB }] }]);
  });

  it('evaluates a detachment from a group for every member', () => {
    const r = run({ type: 'detachPolicy', group: 'developers', policyArn: DEV_POLICY });
    expect(r.diffs.map((d) => [d.principal, d.gained.length, d.lost.length])).toEqual([
      [ALICE, 0, 4],
      [BOB, 0, 4],
    ]);
  });

  it('lists who may newly assume a role when its trust policy loses its ExternalId condition', () => {
    const r = run({ type: 'trustPolicy', role: 'auditor', document: policyDoc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }) });
    expect(r.diffs).toEqual([{ principal: `arn:aws:iam::${OTHER_ACCOUNT}:root`, gained: [{ action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/auditor` }], lost: [] }]);
  });

  it('lists everyone when a trust policy opens to *: the account itself, the other account, anyone', () => {
    const r = run({ type: 'trustPolicy', role: 'auditor', document: policyDoc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }) });
    expect(r.diffs.map((d) => d.principal)).toEqual([
      ALICE,
      BOB,
      `arn:aws:iam::${ACCOUNT}:role/orders-function`,
      `arn:aws:iam::${ACCOUNT}:role/aws-support`,
      `arn:aws:iam::${ACCOUNT}:role/auditor`,
      `arn:aws:iam::${OTHER_ACCOUNT}:root`,
      'any AWS principal (*)',
    ]);
    expect(r.diffs.every((d) => d.gained.length === 1 && d.lost.length === 0)).toBe(true);
  });

  it('reports nothing for a change that changes nothing', () => {
    const r = run({ type: 'putInlinePolicy', user: 'alice', policyName: 'same', document: policyDoc(allow('s3:GetObject', 'arn:aws:s3:::dev-artifacts/*')) });
    expect(r.diffs).toEqual([]);
  });

  it('stops at the bound and says so', () => {
    const r = whatIf(details(), [{ type: 'detachPolicy', group: 'developers', policyArn: DEV_POLICY }], { catalog: testCatalog, now: NOW, maxEvaluations: 10 });
    expect(r.truncated).toBe(true);
    expect(r.evaluated).toBe(10);
  });

  it('warns about targets the export does not have', () => {
    expect(run({ type: 'detachPolicy', user: 'mallory', policyArn: DEV_POLICY }).warnings).toEqual(['user `mallory` is not in the export']);
  });

  it.each([
    [{ type: 'rename' }, '`type` must be one of'],
    [{ type: 'attachPolicy', policyArn: DEV_POLICY }, 'names exactly one of'],
    [{ type: 'trustPolicy', document: {} }, 'names its `role`'],
    [{ type: 'policyVersion', policyArn: DEV_POLICY }, 'needs a `document`'],
  ])('refuses a malformed change %j', (change, message) => {
    expect(changeProblem(change)).toContain(message);
  });
});
