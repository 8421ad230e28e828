/**
 * The Query protocol decoder on hostile input: read-query-params -> resolve the operation ->
 * decode + validate against the IAM and STS models. Whatever arrives, the answer is a decoded call
 * or an AWS-style error (an `AwsError` whose code the models know, with a 4xx status), never another
 * exception, and never more than a bounded time per input.
 * Runs per property: 2,000 in the normal test run, CASTELLAN_FUZZ_RUNS under `npm run fuzz`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../domain/errors.js';
import { AWS_ERRORS, awsErrorInfo } from '../model/aws-errors.js';
import { IAM_MODEL } from '../model/iam-model.js';
import type { ServiceModel } from '../model/service-model.js';
import { STS_MODEL } from '../model/sts-model.js';
import { operations, queryCall as call } from '../test-wire-arbitraries.js';
import { readQueryParams } from './read-query-params.js';
import { decodeQueryCall, resolveQueryOperation } from './resolve-query-call.js';
import { serializeQueryError } from './serialize-query-error.js';

const RUNS = Number(process.env.CASTELLAN_FUZZ_RUNS ?? 2000);
/** Far above the microseconds an input takes: only a hang or quadratic blow-up exceeds it. */
const MAX_MS_PER_INPUT = 1000;
const MODELS: ServiceModel[] = [IAM_MODEL, STS_MODEL];

/** Fails unless `e` is an AWS-style client error the models know. */
function expectAwsClientError(e: unknown): void {
  if (!(e instanceof AwsError)) throw new Error(`not an AwsError: ${String(e)}`, { cause: e });
  expect(Object.hasOwn(AWS_ERRORS, e.code), `unknown code ${e.code}`).toBe(true);
  expect(awsErrorInfo(e.code).httpStatus).toBeLessThan(500);
  expect(typeof e.message).toBe('string');
  // The wire form can always be written.
  expect(serializeQueryError(IAM_MODEL.xmlNamespace!, e.code, e.message, 'req').status).toBeLessThan(500);
}

/** Decodes like the HTTP layer does, for each service model, within the time bound. */
function decodeEverywhere(query: string, body: Uint8Array, contentType: string | undefined): void {
  const started = performance.now();
  const params = readQueryParams(query, body, contentType);
  for (const model of MODELS) {
    try {
      const op = resolveQueryOperation(model, params);
      const { input } = decodeQueryCall(model, op, params, () => undefined);
      expect(typeof input).toBe('object');
    } catch (e) {
      expectAwsClientError(e);
    }
  }
  expect(performance.now() - started).toBeLessThan(MAX_MS_PER_INPUT);
}

const contentType = fc.constantFrom(undefined, 'application/x-www-form-urlencoded; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'application/json', '');

describe('Query decoder fuzz', () => {
  it('model-shaped calls with random names, indices and values', () => {
    fc.assert(
      fc.property(call, contentType, ({ query, body }, type) => {
        decodeEverywhere(query, new TextEncoder().encode(body), type);
      }),
      { numRuns: RUNS },
    );
  });

  it('random query strings and bodies', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), contentType, (query, body, type) => {
        decodeEverywhere(query, body, type);
      }),
      { numRuns: RUNS },
    );
  });

  it('the same names repeated, and lists with many or huge indices, stay fast', () => {
    fc.assert(
      fc.property(fc.constantFrom(...operations.filter((o) => o.templates.some((t) => t.name.includes('#')))), fc.integer({ min: 1, max: 3000 }), fc.constantFrom('1', '999999', 'k'), (o, n, v) => {
        const template = o.templates.find((t) => t.name.includes('#'))!.name;
        const items = Array.from({ length: n }, (_, i) => `${encodeURIComponent(template.replaceAll('#', String((i % 999_999) + 1)))}=${v}`);
        decodeEverywhere('', new TextEncoder().encode(`Action=${o.op.name}&Version=${o.model.apiVersion}&${items.join('&')}`), undefined);
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 100)) },
    );
  });
});
