/**
 * The JSON 1.1 protocol decoder (CloudTrail) on hostile input: X-Amz-Target resolution -> decode +
 * validate the body against the model. The answer is a decoded input or an AWS-style error (an
 * `IamError` whose code the models know, with a 4xx status), never another exception, never an
 * invalid Date, and never more than a bounded time per input.
 * Runs per property: 2,000 in the normal test run, CASTELLAN_FUZZ_RUNS under `npm run fuzz`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IamError } from '../../domain/errors.js';
import { AWS_ERRORS, awsErrorInfo } from '../model/aws-errors.js';
import { CLOUDTRAIL_MODEL } from '../model/cloudtrail-model.js';
import type { ServiceModel } from '../model/service-model.js';
import { decodeJsonCall, resolveJsonOperation } from './resolve-json-call.js';
import { serializeJsonError } from './serialize-json-error.js';

const RUNS = Number(process.env.CASTELLAN_FUZZ_RUNS ?? 2000);
/** Far above the microseconds an input takes: only a hang or quadratic blow-up exceeds it. */
const MAX_MS_PER_INPUT = 1000;
const MODEL = CLOUDTRAIL_MODEL;
const OPERATIONS = Object.values(MODEL.operations);
const SHORT_PREFIX = MODEL.targetPrefix!.slice(MODEL.targetPrefix!.lastIndexOf('.') + 1);

function expectAwsClientError(e: unknown): void {
  if (!(e instanceof IamError)) throw new Error(`not an IamError: ${String(e)}`, { cause: e });
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

/** A JSON value for the shape `name`: usually of the right type, sometimes of a wrong one, or an edge value. */
function valueFor(model: ServiceModel, name: string, depth: number): fc.Arbitrary<unknown> {
  const shape = model.shapes[name];
  const wrong = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.string({ maxLength: 10 }), fc.constant([]), fc.constant({}));
  if (!shape || depth <= 0) return wrong;
  let right: fc.Arbitrary<unknown>;
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members);
      right = members.length === 0
        ? fc.constant({})
        : fc.record(Object.fromEntries(members.map(([m, ref]) => [ref.locationName ?? m, valueFor(model, ref.shape, depth - 1)])), { requiredKeys: [] });
      break;
    }
    case 'list':
      right = fc.array(valueFor(model, shape.member.shape, depth - 1), { maxLength: 4 });
      break;
    case 'map':
      right = fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor')), valueFor(model, shape.value.shape, depth - 1), { maxKeys: 3 });
      break;
    case 'string':
      right = shape.enum ? fc.oneof(fc.constantFrom(...shape.enum), fc.string({ maxLength: 5 })) : fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 10 }), fc.constant('x'.repeat(3000)));
      break;
    case 'integer':
    case 'long':
      right = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53, 1e21, -0, 1.5));
      break;
    case 'float':
    case 'double':
      right = fc.double();
      break;
    case 'boolean':
      right = fc.boolean();
      break;
    case 'timestamp':
      right = fc.oneof(
        fc.double({ noNaN: true }),
        fc.integer(),
        fc.constantFrom(1e300, -1e300, 8.64e12, 8.64e12 + 1, -8.64e12 - 1, 1700000000.123, 0, -0, '2023-11-14T22:13:20Z', '2023-11-14', '275760-09-13T00:00:00Z', '+275760-09-13T00:00:01Z', 'Dec 5', '1', ''),
      );
      break;
    case 'blob':
      right = fc.oneof(fc.base64String({ maxLength: 20 }), fc.string({ maxLength: 10 }));
      break;
    default:
      right = wrong;
  }
  return fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

const target = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(MODEL.targetPrefix!, SHORT_PREFIX), fc.constantFrom(...OPERATIONS.map((o) => o.name))).map(([p, n]) => `${p}.${n}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(MODEL.targetPrefix!, SHORT_PREFIX, '', 'Other_1'), fc.constantFrom('__proto__', 'constructor', 'toString', 'lookupevents', '', '.')).map(([p, n]) => `${p}.${n}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

const shapedCall = fc.constantFrom(...OPERATIONS).chain((op) =>
  fc.tuple(fc.constantFrom(`${SHORT_PREFIX}.${op.name}`, `${MODEL.targetPrefix}.${op.name}`), op.input ? valueFor(MODEL, op.input, 6) : fc.constant({})),
);

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
