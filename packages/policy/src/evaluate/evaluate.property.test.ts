/**
 * Property: on random policies and requests, the compiled evaluator decides exactly as the plain
 * reference interpreter (test-reference-evaluator.ts) does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, parsePolicy, preparePolicySet, type AuthzRequest, type Policy, type PolicyKind, type RequestPrincipal } from '../index.js';
import { referenceEvaluate } from './test-reference-evaluator.js';

const A = '111122223333';
const B = '444455556666';
const PRINCIPALS: RequestPrincipal[] = [
  { arn: `arn:aws:iam::${A}:user/alice`, accountId: A, type: 'IAMUser', userName: 'alice', id: 'AIDAALICE', tags: { team: 'blue', Env: 'prod' } },
  { arn: `arn:aws:sts::${A}:assumed-role/app/s1`, accountId: A, type: 'AssumedRole', roleArn: `arn:aws:iam::${A}:role/app`, id: 'AROAAPP:s1', tags: { team: 'red' } },
  { arn: `arn:aws:iam::${B}:user/bob`, accountId: B, type: 'IAMUser', userName: 'bob' },
  { arn: `arn:aws:iam::${A}:root`, accountId: A, type: 'Root' },
  // Federated user sessions (GetFederationToken) of alice and of bob: policies naming them apply to the sessions.
  { arn: `arn:aws:sts::${A}:federated-user/app`, accountId: A, type: 'FederatedUser', federatingUserArn: `arn:aws:iam::${A}:user/alice`, id: `${A}:app`, tags: { team: 'blue' } },
  { arn: `arn:aws:sts::${B}:federated-user/ext`, accountId: B, type: 'FederatedUser', federatingUserArn: `arn:aws:iam::${B}:user/bob`, id: `${B}:ext` },
];
const PRINCIPAL_ELEMENTS = ['*', { AWS: '*' }, { AWS: PRINCIPALS[0]!.arn }, { AWS: A }, { AWS: `arn:aws:iam::${A}:role/app` }, { AWS: PRINCIPALS[1]!.arn }, { AWS: B }, { AWS: [PRINCIPALS[0]!.arn, `arn:aws:iam::${A}:root`] }, { AWS: [PRINCIPALS[1]!.arn, `arn:aws:iam::${A}:role/app`, A] }, { AWS: PRINCIPALS[2]!.arn }, { AWS: PRINCIPALS[4]!.arn }, { AWS: [PRINCIPALS[4]!.arn, `arn:aws:iam::${A}:root`] }, { AWS: [PRINCIPALS[5]!.arn, PRINCIPALS[2]!.arn, B] }];
const ACTIONS = ['s3:GetObject', 's3:PutObject', 'iam:CreateUser', 'iam:GetUser', 'ec2:DescribeInstances', 'sts:AssumeRole'];
const ACTION_PATTERNS = [...ACTIONS, 'S3:getobject', 's3:*', 'iam:Get*', '*', 'ec2:Describe?nstances', 's3:?etObject', 'iam:*User*'];
const RESOURCES = [`arn:aws:iam::${A}:role/target`, 'arn:aws:s3:::bucket-a/key1', 'arn:aws:s3:::bucket-b/x:y', `arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${B}:user/bob`, `arn:aws:ec2:us-east-1:${A}:instance/i-1`, '*', 'arn:aws:s3:::alice/doc'];
const RESOURCE_PATTERNS = ['*', 'arn:aws:s3:::bucket-*', 'arn:aws:s3:::bucket-a/*', 'arn:aws:iam::*:user/*', `arn:aws:*:*:${A}:*`, 'arn:aws:s3:::${aws:username}/*', `arn:aws:iam::${A}:user/\${aws:username}`, 'arn:aws:ec2:*', 'arn:aws:s3:::bucket-?/*', "arn:aws:s3:::${aws:PrincipalTag/team, 'alice'}/*", 'arn:aws:s3:::*/x:y'];

const FAMILIES: { ops: string[]; keys: string[]; values: string[] }[] = [
  {
    ops: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
    keys: ['aws:PrincipalTag/team', 's3:prefix', 'aws:TagKeys', 'aws:username', 'AWS:PrincipalTag/TEAM'],
    values: ['blue', 'red', 'home/*', '${aws:username}', '', 'Blue', "${aws:PrincipalTag/team, 'blue'}", 'h?me/*', '${*}', 'b*'],
  },
  { ops: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericGreaterThanEquals'], keys: ['s3:max-keys'], values: ['5', '10', '10.0'] },
  { ops: ['DateLessThan', 'DateGreaterThan', 'DateEquals', 'DateNotEquals'], keys: ['aws:CurrentTime', 'aws:TokenIssueTime', 'aws:EpochTime'], values: ['2026-01-01T00:00:00Z', '2026-06-01T12:00:00Z', '1780000000'] },
  { ops: ['Bool'], keys: ['aws:MultiFactorAuthPresent', 'aws:SecureTransport'], values: ['true', 'false'] },
  { ops: ['IpAddress', 'NotIpAddress'], keys: ['aws:SourceIp'], values: ['10.0.0.0/8', '203.0.113.0/24', '2001:db8::/32'] },
  { ops: ['ArnLike', 'ArnEquals', 'ArnNotLike'], keys: ['aws:PrincipalArn', 'aws:SourceArn'], values: [`arn:aws:iam::${A}:user/*`, 'arn:aws:iam::*:role/app', 'arn:aws:s3:::b/${aws:username}', '*'] },
  { ops: ['Null'], keys: ['aws:TokenIssueTime', 'aws:SourceIp', 'aws:username', 'aws:TagKeys'], values: ['true', 'false'] },
];

const clause = fc
  .record({ family: fc.constantFrom(...FAMILIES), opIndex: fc.nat(), keyIndex: fc.nat(), values: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), qualifier: fc.constantFrom('', '', 'ForAllValues:', 'ForAnyValue:'), ifExists: fc.boolean() })
  .map(({ family, opIndex, keyIndex, values, qualifier, ifExists }) => {
    const op = family.ops[opIndex % family.ops.length]!;
    const name = op === 'Null' ? op : `${qualifier}${op}${ifExists ? 'IfExists' : ''}`;
    return { name, key: family.keys[keyIndex % family.keys.length]!, values: values.map((v) => family.values[v % family.values.length]!) };
  });

const condition = fc.array(clause, { maxLength: 3 }).map((clauses) => {
  const out: Record<string, Record<string, string[]>> = {};
  for (const c of clauses) {
    const block = (out[c.name] ??= {});
    // Keys are case-insensitive: two spellings of one key under one operator is an invalid policy.
    if (!Object.keys(block).some((k) => k.toLowerCase() === c.key.toLowerCase())) block[c.key] = c.values;
  }
  return out;
});

function statement(withPrincipal: boolean) {
  return fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      notAction: fc.boolean(),
      actions: fc.uniqueArray(fc.constantFrom(...ACTION_PATTERNS), { minLength: 1, maxLength: 3 }),
      notResource: fc.integer({ min: 0, max: 4 }),
      resources: fc.uniqueArray(fc.constantFrom(...RESOURCE_PATTERNS), { minLength: 1, maxLength: 2 }),
      principal: fc.constantFrom(...PRINCIPAL_ELEMENTS),
      notPrincipal: fc.integer({ min: 0, max: 5 }),
      condition,
    })
    .map((s) => {
      const st: Record<string, unknown> = { Effect: s.effect };
      st[s.notAction ? 'NotAction' : 'Action'] = s.actions;
      st[s.notResource === 0 ? 'NotResource' : 'Resource'] = s.resources;
      if (withPrincipal) st[s.notPrincipal === 0 && s.effect === 'Deny' ? 'NotPrincipal' : 'Principal'] = s.principal;
      if (Object.keys(s.condition).length > 0) st.Condition = s.condition;
      return st;
    });
}

const policy = (withPrincipal: boolean) =>
  fc.record({ version: fc.constantFrom('2012-10-17', '2012-10-17', '2008-10-17'), statements: fc.array(statement(withPrincipal), { minLength: 1, maxLength: 4 }) }).map((p) => ({ Version: p.version, Statement: p.statements }));

/** A role's trust policy: `sts:` actions only, a Principal (never NotPrincipal), no Resource. */
const trustStatement = fc
  .record({
    effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    actions: fc.uniqueArray(fc.constantFrom('sts:AssumeRole', 'sts:*', 'sts:Assume*', 'sts:TagSession'), { minLength: 1, maxLength: 2 }),
    principal: fc.constantFrom(...PRINCIPAL_ELEMENTS),
    condition,
  })
  .map((s) => ({ Effect: s.effect, Principal: s.principal, Action: s.actions, ...(Object.keys(s.condition).length > 0 ? { Condition: s.condition } : {}) }));
const trustPolicy = fc.array(trustStatement, { minLength: 1, maxLength: 3 }).map((statements) => ({ Version: '2012-10-17', Statement: statements }));

const request = fc
  .record({
    principal: fc.constantFrom(...PRINCIPALS),
    // sts:AssumeRole weighs more: it is what a trust policy decides.
    action: fc.constantFrom(...ACTIONS, 'S3:GETOBJECT', 'iam:getuser', 'sts:AssumeRole', 'STS:assumerole'),
    resource: fc.constantFrom(...RESOURCES),
    resourceAccount: fc.constantFrom(undefined, undefined, A, B),
    ip: fc.constantFrom(undefined, '10.1.2.3', '203.0.113.9', '2001:db8::1', 'bad'),
    mfa: fc.constantFrom(undefined, true, false, 'true'),
    tagKeys: fc.constantFrom(undefined, [], ['a', 'b'], ['blue'], ['home/x', 'blue']),
    prefix: fc.constantFrom(undefined, 'home/alice/x', 'blue', '', 'hame/q'),
    maxKeys: fc.constantFrom(undefined, 5, '10', 'x'),
    tokenIssueTime: fc.constantFrom(undefined, '2026-03-01T00:00:00Z', new Date('2026-07-01T00:00:00Z')),
    sourceArn: fc.constantFrom(undefined, 'arn:aws:iam::999999999999:role/app', 'arn:aws:s3:::b/alice'),
    now: fc.constantFrom(new Date('2026-06-01T12:00:00Z'), new Date('2025-12-31T00:00:00Z'), new Date('2026-09-01T00:00:00Z')),
  })
  .map((r): AuthzRequest => {
    const context: AuthzRequest['context'] = {};
    if (r.ip !== undefined) context['aws:SourceIp'] = r.ip;
    if (r.mfa !== undefined) context['aws:MultiFactorAuthPresent'] = r.mfa;
    if (r.tagKeys !== undefined) context['aws:TagKeys'] = r.tagKeys;
    if (r.prefix !== undefined) context['S3:Prefix'] = r.prefix;
    if (r.maxKeys !== undefined) context['s3:max-keys'] = r.maxKeys;
    if (r.tokenIssueTime !== undefined) context['aws:TokenIssueTime'] = r.tokenIssueTime;
    if (r.sourceArn !== undefined) context['aws:SourceArn'] = r.sourceArn;
    return { principal: r.principal, action: r.action, resource: r.resource, context, now: r.now, ...(r.resourceAccount ? { resourceAccount: r.resourceAccount } : {}) };
  });

const policySet = fc.record({
  identity: fc.array(policy(false), { maxLength: 3 }),
  // The resource layer is a resource-based policy, or (a third of the time) a role's trust policy.
  resourceKind: fc.constantFrom<'resource' | 'trust'>('resource', 'resource', 'trust'),
  resource: fc.array(policy(true), { maxLength: 1 }),
  trust: fc.array(trustPolicy, { minLength: 1, maxLength: 1 }),
  boundary: fc.array(policy(false), { maxLength: 1 }),
  session: fc.array(policy(false), { maxLength: 1 }),
  scp: fc.array(policy(false), { maxLength: 1 }),
});

function parseAll(docs: unknown[], kind: PolicyKind): Policy[] | undefined {
  const out: Policy[] = [];
  for (const d of docs) {
    const r = parsePolicy(d, { kind });
    if (!r.ok) return undefined;
    out.push(r.policy);
  }
  return out;
}

describe('compiled evaluator vs reference interpreter', () => {
  it('decide alike on random policies and requests', () => {
    fc.assert(
      fc.property(policySet, fc.array(request, { minLength: 1, maxLength: 8 }), (docs, requests) => {
        // Given random policies in every layer, parsed and compiled
        const parsed: Record<string, Policy[]> = {};
        for (const layer of ['identity', 'resource', 'boundary', 'session', 'scp'] as const) {
          const trust = layer === 'resource' && docs.resourceKind === 'trust';
          const p = parseAll(trust ? docs.trust : docs[layer], trust ? 'trust' : layer);
          if (!p) throw new Error(`generated an invalid ${layer} policy: ${JSON.stringify(docs[layer])}`);
          parsed[layer] = p;
        }
        const compiled = Object.fromEntries(Object.entries(parsed).map(([layer, ps]) => [layer, ps.map((p, i) => compilePolicy(p, { policyId: `${layer}${i}` }))]));
        const set = { identity: compiled.identity!, resource: compiled.resource!, boundary: compiled.boundary!, session: compiled.session!, scp: compiled.scp! };
        const prepared = preparePolicySet(set);
        for (const req of requests) {
          // When each request is decided both ways
          const d = evaluate(req, prepared);
          const ref = referenceEvaluate(req, { identity: parsed.identity!, resource: parsed.resource!, boundary: parsed.boundary!, session: parsed.session!, scp: parsed.scp! });
          // Then the effects, and for denials the layer, agree
          expect(d.effect).toBe(ref.effect);
          if (d.reason.kind !== 'allowed') expect(d.reason.layer).toBe(ref.layer);
          expect(evaluate(req, set)).toEqual(d);
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) },
    );
  }, 120_000);
});
