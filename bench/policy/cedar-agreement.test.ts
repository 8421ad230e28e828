/**
 * The benchmark compares Castellan with cedar-wasm on "the same permissions": this checks that
 * claim on part of the workload, so a change to the workload or the translation that makes the
 * engines disagree fails here rather than silently in the figures.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, parsePolicy, preparePolicySet, type Policy } from '@castellan/policy';
import { POLICIES, makeRequests } from './workload.js';
import { cedarCall, policyToCedar } from './to-cedar.js';

const require = createRequire(import.meta.url);

describe('the Cedar translation of the benchmark workload', () => {
  it('decides 1,000 workload requests as Castellan does', () => {
    // Given the workload's policies, compiled for Castellan and translated to Cedar
    const parsed: Policy[] = POLICIES.map((doc) => {
      const r = parsePolicy(doc, { kind: 'identity' });
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      return r.policy;
    });
    const set = preparePolicySet({ identity: parsed.map((p, i) => compilePolicy(p, { policyId: `P${i}` })) });
    const cedar = require('@cedar-policy/cedar-wasm/nodejs') as {
      preparsePolicySet(id: string, p: { staticPolicies: string }): { type: string };
      statefulIsAuthorized(call: unknown): { type: string; response: { decision: string } };
    };
    expect(cedar.preparsePolicySet('agreement', { staticPolicies: parsed.map((p, i) => policyToCedar(p, i)).join('\n') }).type).toBe('success');
    // When the same requests are decided by both
    const requests = makeRequests(1000, 7);
    let allowed = 0;
    for (const r of requests) {
      const ours = evaluate(r, set).effect === 'allow';
      const theirs = cedar.statefulIsAuthorized(cedarCall(r, 'agreement'));
      expect(theirs.type).toBe('success');
      // Then they agree on every one, and the workload mixes allows and denials
      expect(theirs.response.decision === 'allow', `${r.action} ${r.resource}`).toBe(ours);
      if (ours) allowed++;
    }
    expect(allowed).toBeGreaterThan(200);
    expect(allowed).toBeLessThan(800);
  }, 60_000);
});
