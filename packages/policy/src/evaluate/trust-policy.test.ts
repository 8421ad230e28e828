/**
 * A role's trust policy is the one resource-based policy that must allow by itself in its own
 * account: an identity policy allowing sts:AssumeRole does not let a caller the trust policy does
 * not name assume the role.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, parsePolicy, type AuthzRequest, type PolicyKind, type RequestPrincipal } from '../index.js';
import { referenceEvaluate } from './test-reference-evaluator.js';

const A = '111122223333';
const B = '444455556666';
const ROLE = `arn:aws:iam::${A}:role/Deploy`;
const alice: RequestPrincipal = { arn: `arn:aws:iam::${A}:user/alice`, accountId: A, type: 'IAMUser', userName: 'alice' };
const bob: RequestPrincipal = { arn: `arn:aws:iam::${B}:user/bob`, accountId: B, type: 'IAMUser', userName: 'bob' };
const root: RequestPrincipal = { arn: `arn:aws:iam::${A}:root`, accountId: A, type: 'Root' };

function policy(principal: string | undefined, kind: PolicyKind) {
  const statement = { Effect: 'Allow', Action: 'sts:AssumeRole', ...(principal ? { Principal: { AWS: principal } } : { Resource: '*' }) };
  const r = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }), { kind });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.policy;
}

describe('role trust policies', () => {
  const identityAllow = policy(undefined, 'identity');
  it.each([
    ['same account, trust names someone else, identity allows', alice, 'arn:aws:iam::111122223333:user/carol', true, 'implicitDeny'],
    ['same account, trust names the caller, no identity policy', alice, alice.arn, false, 'allow'],
    ['same account, trust names the account, identity allows', alice, `arn:aws:iam::${A}:root`, true, 'allow'],
    ['same account, trust names the account, no identity policy', alice, `arn:aws:iam::${A}:root`, false, 'implicitDeny'],
    ['same account root, trust names someone else', root, 'arn:aws:iam::111122223333:user/carol', false, 'implicitDeny'],
    ['other account, trust names the caller, identity allows', bob, bob.arn, true, 'allow'],
    ['other account, trust names someone else, identity allows', bob, 'arn:aws:iam::444455556666:user/eve', true, 'implicitDeny'],
  ] as const)('%s: %s', (_name, principal, trusted, withIdentity, expected) => {
    const trust = policy(trusted, 'trust');
    const req: AuthzRequest = { principal, action: 'sts:AssumeRole', resource: ROLE, context: {}, now: new Date('2026-06-01T00:00:00Z') };
    const identity = withIdentity ? [identityAllow] : [];
    const decision = evaluate(req, { identity: identity.map((p, i) => compilePolicy(p, { policyId: `I${i}` })), resource: [compilePolicy(trust, { policyId: 'T' })] });
    expect(decision.effect).toBe(expected);
    expect(referenceEvaluate(req, { identity, resource: [trust] }).effect).toBe(expected);
  });

  it('a role’s unique id (as IAM stores a trust principal) names the role’s sessions, as its ARN does', () => {
    const session: RequestPrincipal = {
      arn: `arn:aws:sts::${A}:assumed-role/Builder/ci`,
      accountId: A,
      type: 'AssumedRole',
      id: 'AROAEXAMPLEBUILDER01:ci',
      roleArn: `arn:aws:iam::${A}:role/Builder`,
    };
    const req: AuthzRequest = { principal: session, action: 'sts:AssumeRole', resource: ROLE, context: {}, now: new Date('2026-06-01T00:00:00Z') };
    for (const [trusted, expected] of [['AROAEXAMPLEBUILDER01', 'allow'], ['AROAEXAMPLEBUILDER0', 'implicitDeny'], ['AROAEXAMPLEOTHER0001', 'implicitDeny']] as const) {
      const trust = policy(trusted, 'trust');
      expect(evaluate(req, { identity: [], resource: [compilePolicy(trust, { policyId: 'T' })] }).effect).toBe(expected);
      expect(referenceEvaluate(req, { identity: [], resource: [trust] }).effect).toBe(expected);
    }
  });

  it('leaves other resource-based policies as they were: a same-account identity allow suffices', () => {
    const bucket = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/carol' }, Action: 's3:GetObject', Resource: '*' }] }), { kind: 'resource' });
    const allow = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }), { kind: 'identity' });
    if (!bucket.ok || !allow.ok) throw new Error('parse');
    const req: AuthzRequest = { principal: alice, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: A, context: {}, now: new Date('2026-06-01T00:00:00Z') };
    expect(evaluate(req, { identity: [compilePolicy(allow.policy, { policyId: 'I' })], resource: [compilePolicy(bucket.policy, { policyId: 'B' })] }).effect).toBe('allow');
  });
});
