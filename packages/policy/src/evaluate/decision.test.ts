import { describe, expect, it } from 'vitest';
import { accessDeniedMessage, compilePolicy, evaluate, explain, parsePolicy, type AuthzRequest, type Decision, type Policy } from '../index.js';

const A = '111122223333';
const alice = { arn: `arn:aws:iam::${A}:user/alice`, accountId: A, type: 'IAMUser' as const, userName: 'alice' };
const request = (extra: Partial<AuthzRequest> = {}): AuthzRequest => ({ principal: alice, action: 'iam:CreateUser', resource: `arn:aws:iam::${A}:user/bob`, context: {}, now: new Date('2026-06-01T00:00:00Z'), ...extra });

function compile(doc: unknown, id = 'P') {
  const r = parsePolicy(JSON.stringify(doc, null, 2), { kind: 'identity' });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return compilePolicy(r.policy, { policyId: id, name: `name-${id}` });
}

describe('Decision details', () => {
  it('lists every matched statement and the missing context keys (for the policy simulator)', () => {
    // Given two policies whose statements match the action and resource, with conditions
    const p1 = compile({ Version: '2012-10-17', Statement: [
      { Sid: 'AllowWithMfa', Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalTag/team': 'x' } } },
      { Sid: 'AllowAll', Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' },
      { Sid: 'Other', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    ] }, 'P1');
    // When a request without those keys is decided
    const d = evaluate(request(), { identity: [p1] });
    // Then the matched statements, deciders and missing keys are reported
    expect(d.effect).toBe('allow');
    expect(d.matched.map((s) => s.sid)).toEqual(['AllowAll']);
    expect(d.decidedBy.map((s) => s.sid)).toEqual(['AllowAll']);
    expect([...d.missingContextKeys].sort()).toEqual(['aws:MultiFactorAuthPresent', 'aws:PrincipalTag/team']);
    expect(d.decidedBy[0]).toMatchObject({ policyId: 'P1', policyName: 'name-P1', policyKind: 'identity', statementIndex: 1, effect: 'Allow', span: { start: { line: 18, column: 5 } } });
  });

  it('fails closed on a statement it cannot evaluate: no allow, and a Deny denies', () => {
    // Given hand-built policies (bypassing the parser) with an operator the engine does not know
    const bogus = (effect: 'Allow' | 'Deny'): Policy => ({
      kind: 'identity',
      version: '2012-10-17',
      statements: [{ index: 0, effect, action: ['iam:*'], resource: ['*'], conditions: [{ operator: 'StringEqualz', base: 'StringEqualz' as never, ifExists: false, key: 'aws:username', values: ['alice'] }] }],
    });
    const allow = compilePolicy(bogus('Allow'), { policyId: 'A' });
    const deny = compilePolicy(bogus('Deny'), { policyId: 'D' });
    const all = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    // When requests are decided
    const d1 = evaluate(request(), { identity: [allow] });
    const d2 = evaluate(request(), { identity: [all, deny] });
    // Then the Allow grants nothing, the Deny denies, and both report the error
    expect(d1.effect).toBe('implicitDeny');
    expect(d1.errors).toEqual([{ policyId: 'A', statementIndex: 0, message: 'unknown condition operator `StringEqualz`' }]);
    expect(d2.effect).toBe('explicitDeny');
    expect(d2.errors).toHaveLength(1);
  });

  it('gives AWS AccessDenied messages by layer', () => {
    const none = evaluate(request(), { identity: [] });
    expect(accessDeniedMessage(request(), none)).toBe(`User: arn:aws:iam::${A}:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${A}:user/bob because no identity-based policy allows the iam:CreateUser action`);
    const all = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const denyAll = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] });
    expect(accessDeniedMessage(request(), evaluate(request(), { identity: [denyAll] }))).toMatch(/with an explicit deny in an identity-based policy$/);
    expect(accessDeniedMessage(request(), evaluate(request(), { identity: [all], boundary: [denyAll] }))).toMatch(/with an explicit deny in a permissions boundary$/);
    expect(accessDeniedMessage(request(), evaluate(request(), { identity: [all], boundary: [compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] })] }))).toMatch(/because no permissions boundary allows the iam:CreateUser action$/);
    expect(accessDeniedMessage(request(), evaluate(request(), { identity: [all], session: [denyAll] }))).toMatch(/with an explicit deny in a session policy$/);
    expect(accessDeniedMessage(request(), evaluate(request(), { identity: [all], scp: [denyAll] }))).toMatch(/with an explicit deny in a service control policy$/);
  });

  it('explains a decision in words', () => {
    const denyAll = compile({ Version: '2012-10-17', Statement: [{ Sid: 'NoIam', Effect: 'Deny', Action: 'iam:*', Resource: '*' }] }, 'ANPA1');
    const text = explain(evaluate(request(), { identity: [denyAll] }));
    expect(text).toContain('Explicitly denied by a Deny statement in an identity-based policy.');
    expect(text).toContain('identity policy "name-ANPA1" (ANPA1) statement 0 "NoIam" at line 4 (Deny)');
    expect(explain(evaluate(request(), { identity: [] }))).toBe('Implicitly denied: no identity-based policy allows this request.');
    const all = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'ALL');
    const s3Only = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, 'B');
    expect(explain(evaluate(request(), { identity: [all], boundary: [s3Only] }))).toBe(
      'Implicitly denied: no permissions boundary allows this request.\n  also matched identity policy "name-ALL" (ALL) statement 0 at line 4 (Allow)',
    );
  });

  it('compiled policies are frozen and reusable', () => {
    const p = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }] });
    expect(Object.isFrozen(p) && Object.isFrozen(p.statements) && Object.isFrozen(p.ref)).toBe(true);
    for (let i = 0; i < 3; i++) expect(evaluate(request({ action: 'iam:GetUser' }), { identity: [p] }).effect).toBe('allow');
    expect(evaluate(request({ action: 'iam:CreateUser' }), { identity: [p] }).effect).toBe('implicitDeny');
  });

  it('uses the given aws:CurrentTime over the request time', () => {
    const p = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } } }] });
    expect(evaluate(request(), { identity: [p] }).effect).toBe('implicitDeny');
    expect(evaluate(request({ context: { 'aws:CurrentTime': '2025-06-01T00:00:00Z' } }), { identity: [p] }).effect).toBe('allow');
  });

  it('decides a resource not named yet by the most that may be allowed over the resources it stands for', () => {
    // Given policies that name users by pattern, by variable, by NotResource or not at all
    const policy = (...statements: object[]) => compile({ Version: '2012-10-17', Statement: statements });
    const allow = (resource: object) => ({ Effect: 'Allow', Action: 'iam:CreateUser', ...resource });
    const deny = (resource: object) => ({ Effect: 'Deny', Action: 'iam:CreateUser', ...resource });
    const anyUser = request({ resource: `arn:aws:iam::${A}:user/*`, resourceNotNamed: true });
    const rows: Array<[string, object[], Decision['effect']]> = [
      ['no statement names the action', [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }], 'implicitDeny'],
      ['an Allow on some names', [allow({ Resource: `arn:aws:iam::${A}:user/dev-*` })], 'allow'],
      ['an Allow through a policy variable', [allow({ Resource: 'arn:aws:iam::*:user/${aws:username}-*' })], 'allow'],
      ['an Allow by NotResource', [allow({ NotResource: `arn:aws:iam::${A}:user/admin*` })], 'allow'],
      ['an Allow whose condition fails', [allow({ Resource: '*', Condition: { StringEquals: { 'aws:username': 'bob' } } })], 'implicitDeny'],
      ['a Deny of every resource', [allow({ Resource: '*' }), deny({ Resource: '*' })], 'explicitDeny'],
      // a Deny of some names leaves the others: some name may be allowed
      ['a Deny of some names', [allow({ Resource: '*' }), deny({ Resource: `arn:aws:iam::${A}:user/admin*` })], 'allow'],
      ['a Deny by NotResource', [allow({ Resource: '*' }), deny({ NotResource: `arn:aws:iam::${A}:user/dev-*` })], 'allow'],
      // the resource type and the account must agree
      ['an Allow on groups only', [allow({ Resource: `arn:aws:iam::${A}:group/*` })], 'implicitDeny'],
      ['an Allow on another account\'s users', [allow({ Resource: 'arn:aws:iam::444455556666:user/*' })], 'implicitDeny'],
      ['an Allow on another service', [allow({ Resource: `arn:aws:s3:::${A}:user/*` })], 'implicitDeny'],
      ['an Allow on users of any account', [allow({ Resource: 'arn:aws:iam::*:user/*' })], 'allow'],
      ['an Allow by NotResource of every user', [allow({ NotResource: `arn:aws:iam::${A}:user/*` })], 'implicitDeny'],
      ['a Deny of every user of the account', [allow({ Resource: '*' }), deny({ Resource: `arn:aws:iam::${A}:user/*` })], 'explicitDeny'],
      ['a Deny of every user of any account', [allow({ Resource: '*' }), deny({ Resource: 'arn:aws:iam::*:user/*' })], 'explicitDeny'],
      ['a Deny of another account\'s users', [allow({ Resource: '*' }), deny({ Resource: 'arn:aws:iam::444455556666:user/*' })], 'allow'],
      ['a Deny of groups', [allow({ Resource: '*' }), deny({ Resource: `arn:aws:iam::${A}:group/*` })], 'allow'],
      ['a Deny by NotResource of groups only', [allow({ Resource: '*' }), deny({ NotResource: `arn:aws:iam::${A}:group/*` })], 'explicitDeny'],
      ['a Deny through a policy variable (not sure to cover every name)', [allow({ Resource: '*' }), deny({ Resource: 'arn:aws:iam::*:user/${aws:username}*' })], 'allow'],
    ];
    for (const [what, statements, effect] of rows) expect([what, evaluate(anyUser, { identity: [policy(...statements)] }).effect]).toEqual([what, effect]);
    // The same request with the pattern taken literally matches the Allow on some names nowhere
    expect(evaluate({ ...anyUser, resourceNotNamed: false }, { identity: [policy(allow({ Resource: `arn:aws:iam::${A}:user/dev-*` }))] }).effect).toBe('implicitDeny');
    // A boundary is decided the same way: it must allow at least some of the names
    const boundary = policy({ Effect: 'Allow', Action: 'iam:*', Resource: `arn:aws:iam::${A}:user/team/*` });
    expect(evaluate(anyUser, { identity: [policy(allow({ Resource: '*' }))], boundary: [boundary] }).effect).toBe('allow');
    // A condition on a key the request lacks is reported, as for any request
    expect(evaluate(anyUser, { identity: [policy(allow({ Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'x' } } }))] }).missingContextKeys).toEqual(['aws:RequestTag/team']);
    // A policy variable with no value (a role session's aws:username): its entry matches no resource,
    // so a Resource entry allows no name and a NotResource entry spares none.
    const session = { arn: `arn:aws:sts::${A}:assumed-role/app/s1`, accountId: A, type: 'AssumedRole' as const, roleArn: `arn:aws:iam::${A}:role/app` };
    const asSession = { ...anyUser, principal: session };
    const noValueRows: Array<[string, object[], Decision['effect']]> = [
      ['an Allow through a variable with no value', [allow({ Resource: 'arn:aws:iam::*:user/${aws:username}-*' })], 'implicitDeny'],
      ['an Allow through a variable with no value, or another entry', [allow({ Resource: ['arn:aws:iam::*:user/${aws:username}-*', `arn:aws:iam::${A}:user/dev-*`] })], 'allow'],
      ['a Deny by NotResource of a variable with no value', [allow({ Resource: '*' }), deny({ NotResource: `arn:aws:iam::${A}:user/\${aws:username}` })], 'explicitDeny'],
      ['a Deny by NotResource of a variable with no value, or of some names', [allow({ Resource: '*' }), deny({ NotResource: [`arn:aws:iam::${A}:user/\${aws:username}`, `arn:aws:iam::${A}:user/dev-*`] })], 'allow'],
    ];
    for (const [what, statements, effect] of noValueRows) expect([what, evaluate(asSession, { identity: [policy(...statements)] }).effect]).toEqual([what, effect]);
    // An IAM user has a name: the NotResource Deny then spares some name (its own)
    expect(evaluate(anyUser, { identity: [policy(allow({ Resource: '*' }), deny({ NotResource: `arn:aws:iam::${A}:user/\${aws:username}` }))] }).effect).toBe('allow');
    expect(evaluate(asSession, { identity: [policy(allow({ Resource: '*' }), deny({ NotResource: `arn:aws:iam::${A}:user/\${aws:username}` }))] }).missingContextKeys).toEqual(['aws:username']);
  });
});
