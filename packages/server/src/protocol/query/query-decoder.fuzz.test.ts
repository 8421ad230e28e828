/**
 * The Query protocol decoder on hostile input: read-query-params -> resolve the operation ->
 * decode + validate against the IAM and STS models. Whatever arrives, the answer is a decoded call
 * or an AWS-style error (an `IamError` whose code the models know, with a 4xx status), never another
 * exception, and never more than a bounded time per input.
 * Runs per property: 2,000 in the normal test run, CASTELLAN_FUZZ_RUNS under `npm run fuzz`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IamError } from '../../domain/errors.js';
import { AWS_ERRORS, awsErrorInfo } from '../model/aws-errors.js';
import { IAM_MODEL } from '../model/iam-model.js';
import type { ServiceModel } from '../model/service-model.js';
import { STS_MODEL } from '../model/sts-model.js';
import { readQueryParams } from './read-query-params.js';
import { decodeQueryCall, resolveQueryOperation } from './resolve-query-call.js';
import { serializeQueryError } from './serialize-query-error.js';

const RUNS = Number(process.env.CASTELLAN_FUZZ_RUNS ?? 2000);
/** Far above the microseconds an input takes: only a hang or quadratic blow-up exceeds it. */
const MAX_MS_PER_INPUT = 1000;
const MODELS: ServiceModel[] = [IAM_MODEL, STS_MODEL];

/** Fails unless `e` is an AWS-style client error the models know. */
function expectAwsClientError(e: unknown): void {
  if (!(e instanceof IamError)) throw new Error(`not an IamError: ${String(e)}`, { cause: e });
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

/**
 * Every parameter name an operation's input can take, with `#` where a list or map index goes
 * (`Tags.member.#.Key`, `ContextEntries.member.#.ContextKeyValues.member.#`), up to `depth` levels.
 */
function parameterTemplates(model: ServiceModel, shapeName: string, prefix: string, depth: number, out: string[]): string[] {
  const shape = model.shapes[shapeName];
  if (!shape || depth < 0) return out;
  switch (shape.type) {
    case 'structure':
      for (const [member, ref] of Object.entries(shape.members)) {
        const name = ref.locationName ?? member;
        parameterTemplates(model, ref.shape, prefix ? `${prefix}.${name}` : name, depth - 1, out);
      }
      return out;
    case 'list':
      out.push(prefix);
      parameterTemplates(model, shape.member.shape, shape.flattened ? `${prefix}.#` : `${prefix}.${shape.member.locationName ?? 'member'}.#`, depth - 1, out);
      return out;
    case 'map':
      out.push(prefix, `${prefix}.entry.#.key`);
      parameterTemplates(model, shape.value.shape, `${prefix}.entry.#.value`, depth - 1, out);
      return out;
    default:
      out.push(prefix);
      return out;
  }
}

const operations = MODELS.flatMap((model) =>
  Object.values(model.operations).map((op) => ({ model, op, templates: op.input ? parameterTemplates(model, op.input, '', 5, []) : [] })),
);

const index = fc.oneof(fc.constantFrom('1', '2', '3', '0', '-1', '01', '1.5', '', 'x', '999999', '1000000', '1e3'), fc.nat({ max: 40 }).map(String));
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('true', 'false', 'TRUE', '1', '-1', '0', '1e308', '-0', 'NaN', 'Infinity', '9'.repeat(30), '1.5', ' 7 ', '2023-11-14T22:13:20Z', '2023-13-45', '1e300', '9'.repeat(400), 'AAAA==', 'A=A', '__proto__', 'constructor', '{"Version":"2012-10-17","Statement":[]}', 'arn:aws:iam::123456789012:user/a', '/', '//', 'a'.repeat(3000)),
);
/** A parameter name: one the operation takes (with random indices), an Object.prototype name, or noise. */
const nameFor = (templates: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: templates.length > 0 ? fc.tuple(fc.constantFrom(...templates), fc.array(index, { minLength: 4, maxLength: 4 })).map(([t, ix]) => t.split('#').reduce((acc, part, i) => acc + (i > 0 ? ix[(i - 1) % 4] : '') + part, '')) : fc.string() },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'Tags.member.1.__proto__', 'Tags.__proto__.1', 'Action', 'Version', 'X-Amz-Signature') },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  );
const actionName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...operations.map((o) => o.op.name)) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'createuser', 'CreateUser ', 'Create%55ser') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
/** Mostly the version of the operation's own service, so most calls get past `resolveQueryOperation`. */
const versionFor = (own: string | undefined) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(own ?? IAM_MODEL.apiVersion) },
    { weight: 1, arbitrary: fc.constantFrom(IAM_MODEL.apiVersion, STS_MODEL.apiVersion, undefined) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );

/** How a name or value goes on the wire: as an SDK encodes it, with + for spaces, or raw. */
const encoding = fc.constantFrom(
  (s: string) => encodeURIComponent(s.toWellFormed()),
  (s: string) => encodeURIComponent(s.toWellFormed()).replace(/%20/g, '+'),
  (s: string) => s,
);

const call = actionName
  .chain((action) => {
    const op = operations.find((o) => o.op.name === action);
    const templates = op?.templates ?? operations[0]!.templates;
    const pairs = fc.array(fc.tuple(nameFor(templates), value), { maxLength: 25 });
    return fc.tuple(fc.constant(action), versionFor(op?.model.apiVersion), pairs, encoding, fc.constantFrom('body', 'query', 'split'));
  })
  .map(([action, ver, pairs, encode, placement]) => {
    const all: Array<[string, string]> = [['Action', action], ...(ver === undefined ? [] : [['Version', ver] as [string, string]]), ...pairs];
    const wire = all.map(([k, v]) => `${encode(k)}=${encode(v)}`);
    const cut = placement === 'body' ? 0 : placement === 'query' ? wire.length : Math.floor(wire.length / 2);
    return { query: wire.slice(0, cut).join('&'), body: wire.slice(cut).join('&') };
  });

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
      fc.property(fc.constantFrom(...operations.filter((o) => o.templates.some((t) => t.includes('#')))), fc.integer({ min: 1, max: 3000 }), fc.constantFrom('1', '999999', 'k'), (o, n, v) => {
        const template = o.templates.find((t) => t.includes('#'))!;
        const items = Array.from({ length: n }, (_, i) => `${encodeURIComponent(template.replaceAll('#', String((i % 999_999) + 1)))}=${v}`);
        decodeEverywhere('', new TextEncoder().encode(`Action=${o.op.name}&Version=${o.model.apiVersion}&${items.join('&')}`), undefined);
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 100)) },
    );
  });
});
