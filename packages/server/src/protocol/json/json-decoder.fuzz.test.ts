/**
 * The JSON 1.1 protocol decoder (CloudTrail) on hostile input: X-Amz-Target resolution -> decode +
 * validate the body against the model. The answer is a decoded input or an AWS-style error (an
 * `AwsError` whose code the models know, with a 4xx status), never another exception, never an
 * invalid Date, and never more than a bounded time per input.
 * Runs per property: 2,000 in the normal test run, CASTELLAN_FUZZ_RUNS under `npm run fuzz`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../domain/errors.js';
import { AWS_ERRORS, awsErrorInfo } from '../model/aws-errors.js';
import { CLOUDTRAIL_MODEL } from '../model/cloudtrail-model.js';
import type { ServiceModel } from '../model/service-model.js';
import { jsonCall as shapedCall, jsonTarget as target, SHORT_PREFIX } from '../test-wire-arbitraries.js';
import { decodeJsonCall, resolveJsonOperation } from './resolve-json-call.js';
import { serializeJsonError } from './serialize-json-error.js';

const RUNS = Number(process.env.CASTELLAN_FUZZ_RUNS ?? 2000);
/** Far above the microseconds an input takes: only a hang or quadratic blow-up exceeds it. */
const MAX_MS_PER_INPUT = 1000;
const MODEL = CLOUDTRAIL_MODEL;

function expectAwsClientError(e: unknown): void {
  if (!(e instanceof AwsError)) throw new Error(`not an AwsError: ${String(e)}`, { cause: e });
  expect(Object.hasOwn(AWS_ERRORS, e.code), `unknown code ${e.code}`).toBe(true);
  expect(awsErrorInfo(e.code).httpStatus).toBeLessThan(500);
  expect(serializeJsonError(e.code, e.message).status).toBeLessThan(500);
}

/** Every Date in a decoded input is a valid one (an invalid Date answered 500 further on). */
function expectValidDates(value: unknown): void {
  if (value instanceof Date) expect(Number.isNaN(value.getTime())).toBe(false);
  else if (Array.isArray(value)) value.forEach(expectValidDates);
  else if (value !== null && typeof value === 'object') Object.values(value).forEach(expectValidDates);
}

function decode(target: string, body: Uint8Array): void {
  const started = performance.now();
  try {
    const op = resolveJsonOperation(MODEL, target);
    const input = decodeJsonCall(MODEL, op, body, () => undefined);
    expectValidDates(input);
  } catch (e) {
    expectAwsClientError(e);
  }
  expect(performance.now() - started).toBeLessThan(MAX_MS_PER_INPUT);
}

describe('JSON protocol decoder fuzz', () => {
  it('model-shaped bodies with wrong types and edge values', () => {
    fc.assert(
      fc.property(shapedCall, ([t, body]) => {
        decode(t, new TextEncoder().encode(JSON.stringify(body)));
      }),
      { numRuns: RUNS },
    );
  });

  it('random JSON documents and targets', () => {
    fc.assert(
      fc.property(target, fc.json({ maxDepth: 6 }), (t, text) => {
        decode(t, new TextEncoder().encode(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('random bytes', () => {
    fc.assert(
      fc.property(target, fc.uint8Array({ maxLength: 300 }), (t, body) => {
        decode(t, body);
      }),
      { numRuns: RUNS },
    );
  });

  it('deep nesting and long arrays stay fast', () => {
    fc.assert(
      fc.property(fc.constantFrom('LookupAttributes', 'StartTime', 'Nope'), fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'), (member, n, open) => {
        const nested = open.repeat(n) + (open === '[' ? ']' : '1}').repeat(n);
        decode(`${SHORT_PREFIX}.LookupEvents`, new TextEncoder().encode(`{"${member}":${nested}}`));
        const wide = `[${Array.from({ length: n }, () => '{"AttributeKey":"EventName","AttributeValue":"x"}').join(',')}]`;
        decode(`${SHORT_PREFIX}.LookupEvents`, new TextEncoder().encode(`{"LookupAttributes":${wide}}`));
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 200)) },
    );
  });
});
