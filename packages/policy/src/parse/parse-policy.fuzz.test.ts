/**
 * Random and malformed input into the parser: it never throws, never hangs, and a rejected
 * document always comes with at least one error diagnostic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy, type ParseResult, type PolicyKind } from '../index.js';

/** Runs per property: the counts below in the normal test run, CASTELLAN_FUZZ_RUNS under `npm run fuzz`. */
const RUNS = Number(process.env.CASTELLAN_FUZZ_RUNS ?? 2000);
const KINDS: PolicyKind[] = ['identity', 'resource', 'trust', 'boundary', 'scp', 'session'];
const VALID = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['s3:Get*'], Resource: 'arn:aws:s3:::b/${aws:username}/*', Condition: { StringLike: { 's3:prefix': ['home/*'] }, Bool: { 'aws:SecureTransport': true } } }],
});

function checkResult(r: ParseResult): void {
  if (r.ok) {
    expect(r.warnings.every((d) => d.severity === 'warning')).toBe(true);
  } else {
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    for (const d of r.diagnostics) expect(typeof d.message).toBe('string');
  }
}

describe('parsePolicy on hostile input', () => {
  it('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom(...KINDS), (text, kind) => {
        checkResult(parsePolicy(text, { kind, sizeClass: 'managed' }));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on random JSON text', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), fc.constantFrom(...KINDS), (text, kind) => {
        checkResult(parsePolicy(text, { kind }));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on random values given as objects', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 5 }), fc.constantFrom(...KINDS), (value, kind) => {
        checkResult(parsePolicy(value, { kind }));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on policy-shaped values with random parts', () => {
    const anyValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }));
    const statement = fc.dictionary(
      fc.constantFrom('Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition', 'Bogus'),
      fc.oneof(anyValue, fc.dictionary(fc.constantFrom('StringEquals', 'ForAnyValue:StringLike', 'Null', 'Nope', 'AWS', 'Service', 'IpAddress', 'DateLessThan'), fc.oneof(anyValue, fc.dictionary(fc.string(), anyValue, { maxKeys: 2 })), { maxKeys: 3 })),
    );
    fc.assert(
      fc.property(fc.record({ Version: fc.oneof(fc.constant('2012-10-17'), fc.string()), Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 })) }), fc.constantFrom(...KINDS), (doc, kind) => {
        checkResult(parsePolicy(doc, { kind }));
        checkResult(parsePolicy(JSON.stringify(doc), { kind }));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on mutations of a valid policy', () => {
    fc.assert(
      fc.property(fc.nat(VALID.length - 1), fc.nat(VALID.length), fc.string({ maxLength: 5 }), (at, cut, insert) => {
        const text = VALID.slice(0, at) + insert + VALID.slice(Math.max(at, cut));
        checkResult(parsePolicy(text, { kind: 'identity' }));
      }),
      { numRuns: Math.max(RUNS, 3000) },
    );
  });

  it('refuses very deep nesting quickly, without overflowing the stack', () => {
    const started = Date.now();
    for (const text of ['['.repeat(200_000), '{"a":'.repeat(100_000), `{"Statement":${'['.repeat(100)}${']'.repeat(100)}}`]) {
      const r = parsePolicy(text, { kind: 'identity' });
      expect(r.ok).toBe(false);
    }
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 10_000; i++) cursor = (cursor.a = {}) as Record<string, unknown>;
    expect(parsePolicy(deep, { kind: 'identity' }).ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('handles large documents in linear time', () => {
    const big = JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 5000 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::b${i}/*` })) });
    const started = Date.now();
    const r = parsePolicy(big, { kind: 'identity', sizeClass: 'managed' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => d.code)).toContain('LimitExceeded');
  });

  it('survives cyclic objects and odd values', () => {
    const cyclic: Record<string, unknown> = { Version: '2012-10-17' };
    cyclic.Statement = cyclic;
    for (const v of [cyclic, undefined, null, 42, () => 1, Symbol('x'), new Date(), [VALID], { Statement: [undefined] }]) checkResult(parsePolicy(v, { kind: 'identity' }));
  });
});
