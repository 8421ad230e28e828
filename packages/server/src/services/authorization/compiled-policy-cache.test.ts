import { describe, expect, it } from 'vitest';
import { evaluate, type AuthzRequest } from '@castellan/policy';
import { loadAwsManagedPolicies } from '../iam/aws-managed-policies.js';
import { CompiledPolicyCache } from './compiled-policy-cache.js';

const request = (action: string): AuthzRequest => ({
  principal: { arn: 'arn:aws:iam::123456789012:user/u', accountId: '123456789012', type: 'IAMUser' },
  action,
  resource: '*',
  context: {},
  now: new Date('2026-12-07T00:00:00Z'),
});

describe('CompiledPolicyCache', () => {
  it('compiles every bundled AWS-managed policy as written, none to deny-all', async () => {
    // Given every AWS-managed policy the package bundles (53 of them use `arn:*:` partitions or `…:root`)
    const catalog = await loadAwsManagedPolicies();
    const problems: string[] = [];
    const cache = new CompiledPolicyCache({ maxPolicies: 5_000, onUnreadable: (s, problem) => problems.push(`${s.policyId}: ${problem}`) });
    // When each default version is compiled for evaluation
    for (const p of catalog.list()) cache.compile({ kind: 'identity', policyId: p.arn, name: p.name, document: p.document });
    // Then none is unreadable
    expect(catalog.list().length).toBeGreaterThan(1_500);
    expect(problems).toEqual([]);
    expect(cache.unreadableCount).toBe(0);
  });

  it('keeps the statements of AmazonBedrockFullAccess (an `arn:*:kms` resource) instead of denying everything', async () => {
    const catalog = await loadAwsManagedPolicies();
    const bedrock = catalog.get('arn:aws:iam::aws:policy/AmazonBedrockFullAccess')!;
    const cache = new CompiledPolicyCache();
    const set = cache.prepare({ identity: [{ kind: 'identity', policyId: bedrock.arn, name: bedrock.name, document: bedrock.document }] });
    expect(evaluate(request('iam:ListUsers'), set).effect).toBe('implicitDeny');
    expect(evaluate(request('bedrock:InvokeModel'), set).effect).toBe('allow');
  });

  it.each([
    ['invalid JSON', '{"Version":'],
    ['a broken policy variable', '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username"}]}'],
  ])('fails closed on a stored document with %s, and reports it', (_what, document) => {
    const reported: string[] = [];
    const cache = new CompiledPolicyCache({ onUnreadable: (s) => reported.push(s.policyId) });
    const set = cache.prepare({ identity: [{ kind: 'identity', policyId: 'p1', name: 'p', document }] });
    expect(evaluate(request('iam:ListUsers'), set).effect).toBe('explicitDeny');
    expect(reported).toEqual(['p1']);
    expect(cache.unreadableCount).toBe(1);
  });
});
