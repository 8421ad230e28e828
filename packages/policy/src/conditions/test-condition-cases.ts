/**
 * The table runner for condition operator tests: each case is a Condition block, a request
 * context and whether the condition holds. Both the compiled evaluator and the reference
 * interpreter must agree with the expectation. Test-only (not built).
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, parsePolicy, type ContextValue, type RequestPrincipal } from '../index.js';
import { referenceEvaluate } from '../evaluate/test-reference-evaluator.js';

/** One row of a condition table. */
export interface ConditionCase {
  name: string;
  condition: Record<string, Record<string, unknown>>;
  context?: Record<string, ContextValue>;
  principal?: Partial<RequestPrincipal>;
  resource?: string;
  /** Defaults to `2012-10-17`; `null` leaves Version out. */
  version?: string | null;
  /** Does the condition hold? */
  expected: boolean;
  /** The AWS documentation the case comes from, when it does. */
  source?: string;
}

const PRINCIPAL: RequestPrincipal = {
  arn: 'arn:aws:iam::111122223333:user/division_abc/subdivision_xyz/JaneDoe',
  accountId: '111122223333',
  type: 'IAMUser',
  userName: 'JaneDoe',
  id: 'AIDAJQABLZS4A3QDU576Q',
  tags: { Department: 'Engineering', 'job-category': 'iamuser-admin' },
};

/** Runs a table of condition cases under one `describe`. */
export function runConditionCases(title: string, cases: readonly ConditionCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        // Given an Allow statement guarded by the condition
        const doc: Record<string, unknown> = {
          Statement: [{ Effect: 'Allow', Action: 'test:Action', Resource: '*', Condition: c.condition }],
        };
        if (c.version !== null) doc.Version = c.version ?? '2012-10-17';
        const parsed = parsePolicy(JSON.stringify(doc), { kind: 'identity' });
        if (!parsed.ok) throw new Error(`case policy is invalid: ${JSON.stringify(parsed.diagnostics)}`);
        const compiled = compilePolicy(parsed.policy, { policyId: 'P' });
        const request = {
          principal: { ...PRINCIPAL, ...c.principal },
          action: 'test:Action',
          resource: c.resource ?? 'arn:aws:s3:::bucket/object',
          context: c.context ?? {},
          now: new Date('2026-06-15T12:00:00Z'),
        };
        // When the request is evaluated by the compiled evaluator and by the reference interpreter
        const decision = evaluate(request, { identity: [compiled] });
        const reference = referenceEvaluate(request, { identity: [parsed.policy] });
        // Then both say the condition holds exactly when expected
        expect(decision.effect === 'allow', 'compiled evaluator').toBe(c.expected);
        expect(reference.effect === 'allow', 'reference interpreter').toBe(c.expected);
      });
    }
  });
}
