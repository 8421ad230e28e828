/**
 * Runs the evaluation corpus (packages/policy/test-corpus/*.json) through the compiled evaluator
 * and the reference interpreter. `CORPUS_PICK=<part of a name>` runs only matching cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, parsePolicy, preparePolicySet, type AuthzRequest, type CompiledPolicy, type Policy, type PolicyKind, type PolicyLayer } from '../index.js';
import { referenceEvaluate, type ReferencePolicySet } from './test-reference-evaluator.js';

interface CorpusCase {
  name: string;
  source: string;
  policies: Partial<Record<PolicyLayer, unknown[]>>;
  resourceKind?: PolicyKind;
  request: Omit<AuthzRequest, 'now'> & { now: string };
  expected: 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';
  reason?: Record<string, string>;
  decidedBy?: string[];
  skip?: string;
}

const EFFECT = { Allow: 'allow', ImplicitDeny: 'implicitDeny', ExplicitDeny: 'explicitDeny' } as const;
const dir = fileURLToPath(new URL('../../test-corpus/', import.meta.url));
const pick = process.env.CORPUS_PICK;

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const cases = JSON.parse(readFileSync(dir + file, 'utf8')) as CorpusCase[];
  describe(`corpus ${file}`, () => {
    for (const c of cases) {
      const run = c.skip || (pick && !c.name.includes(pick)) ? it.skip : it;
      run(c.name, () => {
        expect(c.source, 'every case names its AWS source').toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
        // Given the case's policies, parsed for their layer and compiled
        const compiled: Partial<Record<PolicyLayer, CompiledPolicy[]>> = {};
        const parsed: Partial<Record<PolicyLayer, Policy[]>> = {};
        for (const [layer, docs] of Object.entries(c.policies) as [PolicyLayer, unknown[]][]) {
          const kind: PolicyKind = layer === 'resource' ? (c.resourceKind ?? 'resource') : layer;
          parsed[layer] = docs.map((doc) => {
            const r = parsePolicy(JSON.stringify(doc), { kind });
            if (!r.ok) throw new Error(`${layer} policy is invalid: ${JSON.stringify(r.diagnostics)}`);
            return r.policy;
          });
          compiled[layer] = parsed[layer]!.map((p, i) => compilePolicy(p, { policyId: `${layer}[${i}]`, kind }));
        }
        const request: AuthzRequest = { ...c.request, now: new Date(c.request.now) };
        const set = { identity: [], ...compiled };
        // When it is evaluated (plain and prepared sets) and interpreted by the reference
        const decision = evaluate(request, set);
        const prepared = evaluate(request, preparePolicySet(set));
        const reference = referenceEvaluate(request, { identity: [], ...parsed } as ReferencePolicySet);
        // Then all agree with the expected decision, reason and deciding statements
        expect(decision.effect).toBe(EFFECT[c.expected]);
        expect(prepared).toEqual(decision);
        expect(reference.effect).toBe(EFFECT[c.expected]);
        if (c.reason) expect(decision.reason).toEqual(c.reason);
        if (decision.reason.kind !== 'allowed' && reference.layer) expect(reference.layer).toBe(decision.reason.layer);
        if (c.decidedBy) expect(decision.decidedBy.map((r) => `${r.policyId}#${r.statementIndex}`)).toEqual(c.decidedBy);
      });
    }
  });
}
