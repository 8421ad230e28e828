/**
 * The engine's choices where AWS's documentation leaves room (README, "The policy engine"), each
 * checked on both effects: where AWS is unsettled the engine takes the answer that grants less,
 * so an Allow does not grant and a Deny applies. The compiled engine and the reference interpreter
 * must agree.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, parsePolicy, type AuthzRequest, type ContextValue, type PolicyKind, type RequestPrincipal } from '../index.js';
import { referenceEvaluate } from './test-reference-evaluator.js';

const A = '111122223333';
const alice: RequestPrincipal = { arn: `arn:aws:iam::${A}:user/alice`, accountId: A, type: 'IAMUser', userName: 'alice' };
const session: RequestPrincipal = { arn: `arn:aws:sts::${A}:assumed-role/App/s1`, accountId: A, type: 'AssumedRole', roleArn: `arn:aws:iam::${A}:role/App` };
const BUCKET = 'arn:aws:s3:::reports';

function parse(statements: object[], kind: PolicyKind) {
  const r = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), { kind });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.policy;
}

function request(context: Record<string, ContextValue>, principal: RequestPrincipal = alice): AuthzRequest {
  return { principal, action: 's3:GetObject', resource: `${BUCKET}/k`, context, now: new Date('2026-06-01T00:00:00Z') };
}

/** The decision of an Allow-everything policy plus a Deny guarded by `condition`, and of the guarded Allow alone. */
function decide(condition: object, context: Record<string, ContextValue>): { allowAlone: string; withDeny: string } {
  const allowAlone = parse([{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: condition }], 'identity');
  const withDeny = parse([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: condition }], 'identity');
  const out = { allowAlone: '', withDeny: '' };
  for (const [name, policy] of [['allowAlone', allowAlone], ['withDeny', withDeny]] as const) {
    const compiled = evaluate(request(context), { identity: [compilePolicy(policy, { policyId: 'P' })] }).effect;
    expect(referenceEvaluate(request(context), { identity: [policy] }).effect, `reference for ${name}`).toBe(compiled);
    out[name] = compiled;
  }
  return out;
}

describe('engine choices where AWS leaves room', () => {
  it.each([
    // AWS ignores IfExists on set operators: a re:Post question (issue 8) reports AWS denying with
    // ForAnyValue:StringLikeIfExists on a missing key. https://iam.cloudcopilot.io/resources/operators/ForAnyValue:StringNotEqualsIfExists
    ['ForAnyValue:StringLikeIfExists on a missing key is false', { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'env*' } }, {}, 'implicitDeny', 'allow'],
    // "Multivalued context keys require a condition set operator"; without one: grants less.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
    ['StringEquals without a set operator on a multivalued key', { StringEquals: { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env', 'team'] }, 'implicitDeny', 'explicitDeny'],
    ['StringNotEquals without a set operator on a multivalued key', { StringNotEquals: { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['ops', 'team'] }, 'implicitDeny', 'explicitDeny'],
    ['StringEquals on a one-valued key still compares', { StringEquals: { 'aws:RequestTag/env': 'prod' } }, { 'aws:RequestTag/env': 'prod' }, 'allow', 'explicitDeny'],
    // AWS compares the six ARN components: a value that is not an ARN matches nothing.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    ['ArnLike on a value that is not an ARN', { ArnLike: { 'aws:PrincipalAccount': '1111*' } }, { 'aws:PrincipalAccount': A }, 'implicitDeny', 'allow'],
    ['ArnNotLike on a value that is not an ARN', { ArnNotLike: { 'aws:PrincipalAccount': '2222*' } }, { 'aws:PrincipalAccount': A }, 'implicitDeny', 'explicitDeny'],
    // Fail closed on a value a negated operator cannot read: no Allow, and a Deny still applies.
    ['NumericNotEquals on an unreadable value', { NumericNotEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' }, 'implicitDeny', 'explicitDeny'],
    ['DateNotEquals on an unreadable value', { DateNotEquals: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } }, { 'aws:TokenIssueTime': 'soon' }, 'implicitDeny', 'explicitDeny'],
    ['NotIpAddress on an unreadable value', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': 'localhost' }, 'implicitDeny', 'explicitDeny'],
    ['NotIpAddress on a readable address outside the range', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '198.51.100.1' }, 'allow', 'explicitDeny'],
  ] as const)('%s', (_name, condition, context, allowAlone, withDeny) => {
    expect(decide(condition, context)).toEqual({ allowAlone, withDeny });
  });

  it('a resource policy naming `*` does not lift a session policy that does not allow the action', () => {
    // AWS: a resource policy naming the user or role is limited by the session policy, one naming
    // the session ARN is not; `*` is not said to be either, so it is limited (grants less).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
    for (const principal of ['*', { AWS: '*' }]) {
      const resource = parse([{ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: `${BUCKET}/*` }], 'resource');
      const sessionPolicy = parse([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }], 'session');
      const compiledSet = { identity: [], resource: [compilePolicy(resource, { policyId: 'R' })], session: [compilePolicy(sessionPolicy, { policyId: 'S' })] };
      expect(evaluate(request({}, session), compiledSet).effect).toBe('implicitDeny');
      expect(referenceEvaluate(request({}, session), { identity: [], resource: [resource], session: [sessionPolicy] }).effect).toBe('implicitDeny');
      // Without session policies the same resource policy still allows the session and a user.
      expect(evaluate(request({}, session), { identity: [], resource: [compilePolicy(resource, { policyId: 'R' })] }).effect).toBe('allow');
      expect(evaluate(request({}, alice), { identity: [], resource: [compilePolicy(resource, { policyId: 'R' })] }).effect).toBe('allow');
    }
  });

  it('a resource policy naming the session itself is not limited by the session policy (AWS documents it)', () => {
    const resource = parse([{ Effect: 'Allow', Principal: { AWS: session.arn }, Action: 's3:GetObject', Resource: `${BUCKET}/*` }], 'resource');
    const sessionPolicy = parse([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }], 'session');
    const d = evaluate(request({}, session), { identity: [], resource: [compilePolicy(resource, { policyId: 'R' })], session: [compilePolicy(sessionPolicy, { policyId: 'S' })] });
    expect(d.effect).toBe('allow');
  });
});
