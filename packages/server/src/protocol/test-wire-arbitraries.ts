/**
 * Test support: fast-check arbitraries for calls on the wire, shaped by the AWS models (the Query
 * protocol for IAM and STS, JSON 1.1 for CloudTrail), mixing valid names, types and values with
 * wrong ones, edge values and noise. Used by the `*.fuzz.test.ts` properties.
 */
import fc from 'fast-check';
import { CLOUDTRAIL_MODEL } from './model/cloudtrail-model.js';
import { IAM_MODEL } from './model/iam-model.js';
import type { ServiceModel } from './model/service-model.js';
import { STS_MODEL } from './model/sts-model.js';

const QUERY_MODELS: ServiceModel[] = [IAM_MODEL, STS_MODEL];
const MODEL = CLOUDTRAIL_MODEL;
const OPERATIONS = Object.values(MODEL.operations);
/** `CloudTrail_20131101`, the target prefix the JavaScript SDK sends. */
export const SHORT_PREFIX = MODEL.targetPrefix!.slice(MODEL.targetPrefix!.lastIndexOf('.') + 1);

/** A parameter name of an operation's input, with `#` where a list or map index goes, and the shape of its value. */
export interface ParameterTemplate {
  name: string;
  shape: string;
}

/**
 * Every parameter name an operation's input can take, with `#` where a list or map index goes
 * (`Tags.member.#.Key`, `ContextEntries.member.#.ContextKeyValues.member.#`), up to `depth` levels.
 */
export function parameterTemplates(model: ServiceModel, shapeName: string, prefix: string, depth: number, out: ParameterTemplate[]): ParameterTemplate[] {
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
      out.push({ name: prefix, shape: shapeName });
      parameterTemplates(model, shape.member.shape, shape.flattened ? `${prefix}.#` : `${prefix}.${shape.member.locationName ?? 'member'}.#`, depth - 1, out);
      return out;
    case 'map':
      out.push({ name: prefix, shape: shapeName }, { name: `${prefix}.entry.#.key`, shape: shape.key.shape });
      parameterTemplates(model, shape.value.shape, `${prefix}.entry.#.value`, depth - 1, out);
      return out;
    default:
      out.push({ name: prefix, shape: shapeName });
      return out;
  }
}

const ACCOUNT = '123456789012';
const IDENTITY_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 's3:*'], Resource: '*' }] });
const TRUST_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
const NAMES = ['alice', 'bob', 'dev', 'admins', 'p1', 'role-1', 'team.a', 'x'];
const ARNS = [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:user/dev/bob`, `arn:aws:iam::${ACCOUNT}:role/role-1`, `arn:aws:iam::${ACCOUNT}:group/admins`, `arn:aws:iam::${ACCOUNT}:policy/p1`, 'arn:aws:iam::aws:policy/ReadOnlyAccess', `arn:aws:iam::${ACCOUNT}:root`];

/**
 * A value an operation would plausibly accept for the shape `name` (a name, an ARN, a path, a policy,
 * an enum member, a number in range), so that generated calls get past validation into the services.
 */
function plausibleValue(model: ServiceModel, name: string): fc.Arbitrary<string> {
  const shape = model.shapes[name];
  const lower = name.toLowerCase();
  if (!shape) return fc.constant('x');
  switch (shape.type) {
    case 'string':
      if (shape.enum) return fc.constantFrom(...shape.enum);
      if (lower.includes('policydocument')) return fc.constantFrom(IDENTITY_POLICY, TRUST_POLICY);
      if (lower.includes('arn')) return fc.constantFrom(...ARNS);
      if (lower.includes('path')) return fc.constantFrom('/', '/dev/', '/team/a/');
      if (lower.includes('accesskey')) return fc.constantFrom('AKIAIOSFODNN7EXAMPLE', 'AKIAI44QH8DHBEXAMPLE');
      if (lower.includes('marker') || lower.includes('token')) return fc.constantFrom('', 'x', 'AAAA');
      return fc.constantFrom(...NAMES);
    case 'integer':
    case 'long':
      return fc.integer({ min: shape.min ?? 0, max: Math.min(shape.max ?? Number.MAX_SAFE_INTEGER, (shape.min ?? 0) + 100) }).map(String);
    case 'boolean':
      return fc.constantFrom('true', 'false');
    case 'timestamp':
      return fc.constantFrom('2026-01-02T03:04:05Z', '1767323045');
    default:
      return fc.constant('');
  }
}

/** Every IAM and STS operation with the parameter names its input takes and the names it requires. */
export const operations = QUERY_MODELS.flatMap((model) =>
  Object.values(model.operations).map((op) => {
    const input = op.input ? model.shapes[op.input] : undefined;
    const required = input?.type === 'structure' ? (input.required ?? []).map((m) => ({ name: input.members[m]!.locationName ?? m, shape: input.members[m]!.shape })) : [];
    return { model, op, templates: op.input ? parameterTemplates(model, op.input, '', 5, []) : [], required };
  }),
);

const index = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('1', '2', '3') },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', '01', '1.5', '', 'x', '999999', '1000000', '1e3') },
  { weight: 1, arbitrary: fc.nat({ max: 40 }).map(String) },
);
const noise = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('true', 'false', 'TRUE', '1', '-1', '0', '1e308', '-0', 'NaN', 'Infinity', '9'.repeat(30), '1.5', ' 7 ', '2023-11-14T22:13:20Z', '2023-13-45', '1e300', '9'.repeat(400), 'AAAA==', 'A=A', '__proto__', 'constructor', '{"Version":"2012-10-17","Statement":[]}', 'arn:aws:iam::123456789012:user/a', '/', '//', 'a'.repeat(3000)),
);
const queryValueFor = (model: ServiceModel, shape: string) => fc.oneof({ weight: 3, arbitrary: plausibleValue(model, shape) }, { weight: 2, arbitrary: noise });
const withIndices = (template: string) => fc.array(index, { minLength: 4, maxLength: 4 }).map((ix) => template.split('#').reduce((acc, part, i) => acc + (i > 0 ? ix[(i - 1) % 4] : '') + part, ''));

/** A parameter (name and value): one the operation takes (with random indices), an Object.prototype name, or noise. */
const parameterFor = (model: ServiceModel, templates: ParameterTemplate[]) =>
  fc.oneof(
    { weight: 6, arbitrary: templates.length > 0 ? fc.constantFrom(...templates).chain((t) => fc.tuple(withIndices(t.name), queryValueFor(model, t.shape))) : fc.tuple(fc.string(), noise) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'Tags.member.1.__proto__', 'Tags.__proto__.1', 'Action', 'Version', 'X-Amz-Signature'), noise) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 30 }), noise) },
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
const encoding = fc.oneof(
  { weight: 4, arbitrary: fc.constant((s: string) => encodeURIComponent(s.toWellFormed())) },
  { weight: 1, arbitrary: fc.constant((s: string) => encodeURIComponent(s.toWellFormed()).replace(/%20/g, '+')) },
  { weight: 1, arbitrary: fc.constant((s: string) => s) },
);

/**
 * A Query call (query string and form body) for a random IAM or STS operation: Action, Version, most
 * often its required members with plausible values, and model-shaped parameters.
 */
export const queryCall = actionName
  .chain((action) => {
    const op = operations.find((o) => o.op.name === action) ?? operations[0]!;
    const required = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(...op.required.map((r) => plausibleValue(op.model, r.shape).map((v): [string, string] => [r.name, v]))) },
      { weight: 1, arbitrary: fc.constant([] as Array<[string, string]>) },
    );
    const pairs = fc.array(parameterFor(op.model, op.templates), { maxLength: 12 });
    return fc.tuple(fc.constant(action), versionFor(op.model.apiVersion), required, pairs, encoding, fc.constantFrom('body', 'body', 'query', 'split'));
  })
  .map(([action, ver, required, pairs, encode, placement]) => {
    const all: Array<[string, string]> = [['Action', action], ...(ver === undefined ? [] : [['Version', ver] as [string, string]]), ...required, ...pairs];
    const wire = all.map(([k, v]) => `${encode(k)}=${encode(v)}`);
    const cut = placement === 'body' ? 0 : placement === 'query' ? wire.length : Math.floor(wire.length / 2);
    return { query: wire.slice(0, cut).join('&'), body: wire.slice(cut).join('&') };
  });

/** A JSON value for the shape `name`: usually of the right type, sometimes of a wrong one, or an edge value. */
export function valueFor(model: ServiceModel, name: string, depth: number): fc.Arbitrary<unknown> {
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
        fc.constantFrom(1e300, -1e300, 8.64e12 + 1),
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

/** An X-Amz-Target: mostly a CloudTrail operation under either prefix, sometimes an inherited name or noise. */
export const jsonTarget = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(MODEL.targetPrefix!, SHORT_PREFIX), fc.constantFrom(...OPERATIONS.map((o) => o.name))).map(([p, n]) => `${p}.${n}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(MODEL.targetPrefix!, SHORT_PREFIX, '', 'Other_1'), fc.constantFrom('__proto__', 'constructor', 'toString', 'lookupevents', '', '.')).map(([p, n]) => `${p}.${n}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

/** A CloudTrail call: its X-Amz-Target and a model-shaped JSON body (as a value, not yet serialized). */
export const jsonCall = fc.constantFrom(...OPERATIONS).chain((op) =>
  fc.tuple(fc.constantFrom(`${SHORT_PREFIX}.${op.name}`, `${MODEL.targetPrefix}.${op.name}`), op.input ? valueFor(MODEL, op.input, 6) : fc.constant({})),
);

