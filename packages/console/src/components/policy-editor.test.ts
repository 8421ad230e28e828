import { describe, expect, it } from 'vitest';
import { validatePolicy } from './policy-editor.js';

/** An identity policy of about `chars` characters without whitespace. */
const policyOf = (chars: number) => {
  const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/' }] });
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::b/${'k'.repeat(chars - base.length)}` }] });
};
const errors = (diagnostics: ReturnType<typeof validatePolicy>) => diagnostics.filter((d) => d.severity === 'error').length;

describe('validatePolicy: the size quota of where the policy goes', () => {
  it('a managed policy by default: 6,144 characters', () => {
    expect(errors(validatePolicy(policyOf(6144), 'identity'))).toBe(0);
    expect(errors(validatePolicy(policyOf(6145), 'identity'))).toBe(1);
  });

  it('none for the simulator, which takes what SimulateCustomPolicy takes (131,072 characters)', () => {
    expect(errors(validatePolicy(policyOf(20000), 'identity', 'none'))).toBe(0);
  });

  it('an entity\'s inline quota for its inline policies', () => {
    expect(errors(validatePolicy(policyOf(2049), 'identity', 'userInline'))).toBe(1);
    expect(errors(validatePolicy(policyOf(5120), 'identity', 'groupInline'))).toBe(0);
    expect(errors(validatePolicy(policyOf(6200), 'identity', 'roleInline'))).toBe(0);
  });
});
