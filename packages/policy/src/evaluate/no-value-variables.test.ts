/**
 * Policy variables with no value (a missing key without a default, or a multivalued key): the one
 * policy value holding the variable is effectively null. No request value equals it or is like it,
 * so a positive operator does not match on it (the other values of the list still may) and a
 * negated operator does ("not equal" to null); a Resource entry holding one matches no resource and
 * a NotResource entry excludes none. A missing context key keeps the usual rules.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html ("Policy variables with no value")
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, explain, parsePolicy, type ContextValue, type RequestPrincipal } from '../index.js';
import { referenceEvaluate } from './test-reference-evaluator.js';

const NO_VALUE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html ("Policy variables with no value")';
const A = '111122223333';
const ROLE_ARN = `arn:aws:iam::${A}:role/app`;
const RED = `arn:aws:iam::${A}:role/red`;

/** An IAM user with no tags (so `${aws:PrincipalTag/team}` has no value). */
const untagged: RequestPrincipal = { arn: `arn:aws:iam::${A}:user/JaneDoe`, accountId: A, type: 'IAMUser', userName: 'JaneDoe', id: 'AIDAJQABLZS4A3QDU576Q' };
/** A role session: no `aws:username`. */
const session: RequestPrincipal = { arn: `arn:aws:sts::${A}:assumed-role/app/s1`, accountId: A, type: 'AssumedRole', roleArn: ROLE_ARN, id: 'AROAAPP00000000000001:s1' };
const tagged = (team: string): RequestPrincipal => ({ ...untagged, tags: { team } });

type Stmt = Record<string, unknown>;
const allowAll: Stmt = { Effect: 'Allow', Action: 'test:Action', Resource: '*' };
const deny = (condition: Record<string, Record<string, unknown>>): Stmt => ({ Effect: 'Deny', Action: 'test:Action', Resource: '*', Condition: condition });
const allow = (condition: Record<string, Record<string, unknown>>): Stmt => ({ Effect: 'Allow', Action: 'test:Action', Resource: '*', Condition: condition });
const TEAM_GUARD = { StringNotEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } };

interface NoValueCase {
  name: string;
  statements: Stmt[];
  principal?: RequestPrincipal;
  context?: Record<string, ContextValue>;
  resource?: string;
  expected: 'allow' | 'implicitDeny' | 'explicitDeny';
  /** Indexes of the deciding statements, when the case checks them. */
  decidedBy?: number[];
  /** A key the decision must list as missing (the simulator's MissingContextValues). */
  missing?: string;
}

const cases: NoValueCase[] = [
  // StringNotEquals, the ABAC guardrail of AWS's example, and the family's other negated operators.
  { name: 'Deny StringNotEquals against an untagged principal applies (AWS example)', statements: [allowAll, deny(TEAM_GUARD)], context: { 'aws:ResourceTag/team': 'red' }, expected: 'explicitDeny', decidedBy: [1], missing: 'aws:PrincipalTag/team' },
  { name: 'Deny StringNotEquals: a principal with the same tag is not denied', statements: [allowAll, deny(TEAM_GUARD)], principal: tagged('red'), context: { 'aws:ResourceTag/team': 'red' }, expected: 'allow', decidedBy: [0] },
  { name: 'Deny StringNotEquals: a principal with another tag is denied', statements: [allowAll, deny(TEAM_GUARD)], principal: tagged('blue'), context: { 'aws:ResourceTag/team': 'red' }, expected: 'explicitDeny', decidedBy: [1] },
  { name: 'Deny StringNotEqualsIgnoreCase against no value applies', statements: [allowAll, deny({ StringNotEqualsIgnoreCase: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } })], context: { 'aws:ResourceTag/team': 'red' }, expected: 'explicitDeny', decidedBy: [1] },
  { name: 'Deny StringNotLike against no value applies', statements: [allowAll, deny({ StringNotLike: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}*' } })], context: { 'aws:ResourceTag/team': 'red' }, expected: 'explicitDeny', decidedBy: [1] },
  { name: 'Deny StringEquals against no value does not apply', statements: [allowAll, deny({ StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } })], context: { 'aws:ResourceTag/team': 'red' }, expected: 'allow', missing: 'aws:PrincipalTag/team' },
  { name: 'Deny StringLike against no value does not apply, even on an empty request value', statements: [allowAll, deny({ StringLike: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } })], context: { 'aws:ResourceTag/team': '' }, expected: 'allow' },
  { name: 'Allow StringNotEquals against no value grants', statements: [allow(TEAM_GUARD)], context: { 'aws:ResourceTag/team': 'red' }, expected: 'allow', decidedBy: [0] },
  { name: 'Allow StringEquals against no value does not grant', statements: [allow({ StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } })], context: { 'aws:ResourceTag/team': '' }, expected: 'implicitDeny' },
  { name: 'Allow StringEquals: another value of the list still matches', statements: [allow({ StringEquals: { 's3:prefix': ['${aws:username}', 'static'] } })], principal: session, context: { 's3:prefix': 'static' }, expected: 'allow', decidedBy: [0] },
  { name: 'Allow StringEquals: the value after the unresolvable one still matches (order)', statements: [allow({ StringEqualsIgnoreCase: { 's3:prefix': ['static', '${aws:username}'] } })], principal: session, context: { 's3:prefix': 'STATIC' }, expected: 'allow' },
  { name: 'Allow StringNotEquals: the other values still AND (equal to one of them)', statements: [allow({ StringNotEquals: { 's3:prefix': ['${aws:username}', 'static'] } })], principal: session, context: { 's3:prefix': 'static' }, expected: 'implicitDeny' },
  { name: 'Allow StringNotEquals: the other values still AND (equal to none)', statements: [allow({ StringNotEquals: { 's3:prefix': ['${aws:username}', 'static'] } })], principal: session, context: { 's3:prefix': 'other' }, expected: 'allow' },
  { name: 'Allow StringLike: another pattern of the list still matches', statements: [allow({ StringLike: { 's3:prefix': ['home/${aws:username}/*', 'shared/*'] } })], principal: session, context: { 's3:prefix': 'shared/x' }, expected: 'allow' },
  { name: 'a variable with a default is not "no value"', statements: [allowAll, deny({ StringNotEquals: { 'aws:ResourceTag/team': "${aws:PrincipalTag/team, 'red'}" } })], context: { 'aws:ResourceTag/team': 'red' }, expected: 'allow' },
  { name: 'a multivalued key as a variable has no value: Deny StringNotEquals applies', statements: [allowAll, deny({ StringNotEquals: { 'aws:ResourceTag/team': '${aws:TagKeys}' } })], context: { 'aws:ResourceTag/team': 'red', 'aws:TagKeys': ['red'] }, expected: 'explicitDeny' },
  // ARN operators.
  { name: 'Deny ArnNotEquals against no value applies', statements: [allowAll, deny({ ArnNotEquals: { 'aws:SourceArn': `arn:aws:iam::${A}:user/\${aws:username}` } })], principal: session, context: { 'aws:SourceArn': `arn:aws:iam::${A}:user/alice` }, expected: 'explicitDeny', decidedBy: [1], missing: 'aws:username' },
  { name: 'Deny ArnNotLike against no value applies', statements: [allowAll, deny({ ArnNotLike: { 'aws:SourceArn': `arn:aws:iam::${A}:user/\${aws:username}*` } })], principal: session, context: { 'aws:SourceArn': `arn:aws:iam::${A}:user/alice` }, expected: 'explicitDeny' },
  { name: 'Deny ArnEquals against no value does not apply', statements: [allowAll, deny({ ArnEquals: { 'aws:SourceArn': `arn:aws:iam::${A}:user/\${aws:username}` } })], principal: session, context: { 'aws:SourceArn': `arn:aws:iam::${A}:user/` }, expected: 'allow' },
  { name: 'Allow ArnNotEquals against no value grants', statements: [allow({ ArnNotEquals: { 'aws:SourceArn': `arn:aws:iam::${A}:user/\${aws:username}` } })], principal: session, context: { 'aws:SourceArn': `arn:aws:iam::${A}:user/alice` }, expected: 'allow' },
  { name: 'Allow ArnNotEquals against no value still grants nothing on a value that is not an ARN', statements: [allow({ ArnNotEquals: { 'aws:SourceArn': `arn:aws:iam::${A}:user/\${aws:username}` } })], principal: session, context: { 'aws:SourceArn': 'alice' }, expected: 'implicitDeny' },
  { name: 'Allow ArnLike: another value of the list still matches', statements: [allow({ ArnLike: { 'aws:SourceArn': [`arn:aws:iam::${A}:user/\${aws:username}`, `arn:aws:iam::${A}:user/shared*`] } })], principal: session, context: { 'aws:SourceArn': `arn:aws:iam::${A}:user/shared1` }, expected: 'allow' },
  // Bool (positive only).
  { name: 'Bool against no value does not match (Allow)', statements: [allow({ Bool: { 'aws:SecureTransport': '${aws:PrincipalTag/secure}' } })], context: { 'aws:SecureTransport': true }, expected: 'implicitDeny' },
  { name: 'Bool against no value does not match (Deny)', statements: [allowAll, deny({ Bool: { 'aws:SecureTransport': '${aws:PrincipalTag/secure}' } })], context: { 'aws:SecureTransport': true }, expected: 'allow' },
  // IfExists and set operators follow from the per-value rule.
  { name: 'Deny StringNotEqualsIfExists against no value applies when the key is present', statements: [allowAll, deny({ StringNotEqualsIfExists: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } })], context: { 'aws:ResourceTag/team': 'red' }, expected: 'explicitDeny' },
  { name: 'Allow StringEqualsIfExists against no value does not grant when the key is present', statements: [allow({ StringEqualsIfExists: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } })], context: { 'aws:ResourceTag/team': 'red' }, expected: 'implicitDeny' },
  { name: 'Deny ForAnyValue:StringNotEquals against no value applies', statements: [allowAll, deny({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': '${aws:PrincipalTag/team}' } })], context: { 'aws:TagKeys': ['a'] }, expected: 'explicitDeny' },
  { name: 'Deny ForAllValues:StringNotLike against no value applies', statements: [allowAll, deny({ 'ForAllValues:StringNotLike': { 'aws:TagKeys': '${aws:PrincipalTag/team}*' } })], context: { 'aws:TagKeys': ['a', 'b'] }, expected: 'explicitDeny' },
  { name: 'Allow ForAllValues:StringEquals: the other values still match every request value', statements: [allow({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['${aws:PrincipalTag/team}', 'a', 'b'] } })], context: { 'aws:TagKeys': ['a', 'b'] }, expected: 'allow' },
  { name: 'Allow ForAnyValue:StringEquals against no value alone does not grant', statements: [allow({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': '${aws:PrincipalTag/team}' } })], context: { 'aws:TagKeys': ['a'] }, expected: 'implicitDeny' },
  // A missing context key keeps the usual rules.
  { name: 'a missing context key: Deny StringNotEquals applies as before', statements: [allowAll, deny(TEAM_GUARD)], expected: 'explicitDeny', missing: 'aws:ResourceTag/team' },
  { name: 'a missing context key: Allow StringEquals does not grant as before', statements: [allow({ StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } })], expected: 'implicitDeny', missing: 'aws:ResourceTag/team' },
  // Resource and NotResource.
  { name: 'Resource: an entry with no value matches no resource', statements: [{ Effect: 'Allow', Action: 'test:Action', Resource: `arn:aws:iam::${A}:user/\${aws:username}` }], principal: session, resource: `arn:aws:iam::${A}:user/`, expected: 'implicitDeny', missing: 'aws:username' },
  { name: 'Resource: the other entries still match', statements: [{ Effect: 'Allow', Action: 'test:Action', Resource: [`arn:aws:iam::${A}:user/\${aws:username}`, `arn:aws:iam::${A}:user/shared`] }], principal: session, resource: `arn:aws:iam::${A}:user/shared`, expected: 'allow' },
  { name: 'NotResource: a Deny whose entry has no value applies to every resource (role session)', statements: [allowAll, { Effect: 'Deny', Action: 'test:Action', NotResource: `arn:aws:iam::${A}:user/\${aws:username}` }], principal: session, resource: `arn:aws:iam::${A}:user/alice`, expected: 'explicitDeny', decidedBy: [1], missing: 'aws:username' },
  { name: 'NotResource: the Deny still spares the user\'s own ARN when the variable has a value', statements: [allowAll, { Effect: 'Deny', Action: 'test:Action', NotResource: `arn:aws:iam::${A}:user/\${aws:username}` }], resource: `arn:aws:iam::${A}:user/JaneDoe`, expected: 'allow' },
  { name: 'NotResource: the other entries still exclude', statements: [allowAll, { Effect: 'Deny', Action: 'test:Action', NotResource: [`arn:aws:iam::${A}:user/\${aws:username}`, `arn:aws:iam::${A}:user/shared`] }], principal: session, resource: `arn:aws:iam::${A}:user/shared`, expected: 'allow' },
  { name: 'NotResource: other entries do not exclude this resource', statements: [allowAll, { Effect: 'Deny', Action: 'test:Action', NotResource: [`arn:aws:iam::${A}:user/\${aws:username}`, `arn:aws:iam::${A}:user/shared`] }], principal: session, resource: `arn:aws:iam::${A}:user/alice`, expected: 'explicitDeny' },
  { name: 'NotResource: an Allow whose entry has no value excludes nothing', statements: [{ Effect: 'Allow', Action: 'test:Action', NotResource: `arn:aws:iam::${A}:user/\${aws:username}` }], principal: session, resource: RED, expected: 'allow' },
];

describe('policy variables with no value', () => {
  for (const c of cases) {
    it(c.name, () => {
      // Given an identity policy with the case's statements
      const doc = { Version: '2012-10-17', Statement: c.statements };
      const parsed = parsePolicy(JSON.stringify(doc), { kind: 'identity' });
      if (!parsed.ok) throw new Error(`case policy is invalid: ${JSON.stringify(parsed.diagnostics)}`);
      const compiled = compilePolicy(parsed.policy, { policyId: 'P' });
      const request = { principal: c.principal ?? untagged, action: 'test:Action', resource: c.resource ?? RED, context: c.context ?? {}, now: new Date('2026-06-15T12:00:00Z') };
      // When the compiled evaluator and the reference interpreter decide the request
      const decision = evaluate(request, { identity: [compiled] });
      const reference = referenceEvaluate(request, { identity: [parsed.policy] });
      // Then both give the expected decision, with its deciding statements and missing keys
      expect(decision.effect, `${NO_VALUE}\n${explain(decision)}`).toBe(c.expected);
      expect(reference.effect, 'reference interpreter').toBe(c.expected);
      if (c.decidedBy) expect(decision.decidedBy.map((s) => s.statementIndex)).toEqual(c.decidedBy);
      if (c.missing) expect(decision.missingContextKeys).toContain(c.missing);
    });
  }
});
