import { SerializationError } from '../../domain/errors.js';
import { findShape, type MemberModel, type ServiceModel, type ShapeModel } from '../model/service-model.js';
import { fromEpochSeconds, parseIsoTimestamp } from '../parse-timestamp.js';

/**
 * Decodes an AWS JSON 1.1 body into the typed wire input, following the model: members by name,
 * timestamps as epoch seconds (or ISO 8601 strings), blobs as base64. A value of the wrong JSON
 * type is a `SerializationException`, as AWS's JSON services answer; unknown members are ignored.
 */
export function decodeJsonInput(model: ServiceModel, shapeName: string | undefined, body: Uint8Array): Record<string, unknown> {
  if (!shapeName) return {};
  const text = UTF8.decode(body).trim();
  let raw: unknown = {};
  if (text !== '') {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new SerializationError('Start of structure or map found where not expected.');
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SerializationError('Start of structure or map found where not expected.');
  }
  return decode(model, findShape(model, shapeName), raw, shapeName, undefined) as Record<string, unknown>;
}

/** Shared: `decode` keeps no state between calls (a decoder per request was an allocation each). */
const UTF8 = new TextDecoder();

/**
 * Where a value is, for the error message: `parent` and the member name or list index under it
 * (`undefined` for `parent` itself). Joined only for a container's children or an error, so a
 * leaf value costs no string.
 */
function pathOf(parent: string, key: string | number | undefined): string {
  if (key === undefined) return parent;
  return typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;
}

/** A structure's members with their wire names and shapes, listed once per shape. */
const MEMBER_LISTS = new WeakMap<object, Array<[member: string, shape: ShapeModel | undefined, wireName: string]>>();

function memberList(model: ServiceModel, shape: { members: Record<string, MemberModel> }): Array<[string, ShapeModel | undefined, string]> {
  let list = MEMBER_LISTS.get(shape);
  if (!list) {
    list = Object.entries(shape.members).map(([member, ref]) => [member, findShape(model, ref.shape), ref.locationName ?? member]);
    MEMBER_LISTS.set(shape, list);
  }
  return list;
}

/** `value` as `shape` says (`shape` found by the caller: once per member, list or map, not per value). */
function decode(model: ServiceModel, shape: ShapeModel | undefined, value: unknown, parent: string, key: string | number | undefined): unknown {
  if (value === null || value === undefined) return undefined;
  if (!shape) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return wrong(value, shape.type, parent, key);
      const where = pathOf(parent, key);
      const out: Record<string, unknown> = {};
      for (const [member, mshape, name] of memberList(model, shape)) {
        const raw = Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
        const v = decode(model, mshape, raw, where, member);
        if (v !== undefined) out[member] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return wrong(value, shape.type, parent, key);
      const where = pathOf(parent, key);
      const item = findShape(model, shape.member.shape);
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = decode(model, item, value[i], where, i);
      return out;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return wrong(value, shape.type, parent, key);
      const where = pathOf(parent, key);
      const valueShape = findShape(model, shape.value.shape);
      // Client-chosen keys become own properties, as `Object.fromEntries` makes them (`out[k] = v`
      // with k = `__proto__` would set the prototype instead).
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        const v = decode(model, valueShape, (value as Record<string, unknown>)[k], where, k);
        if (k === '__proto__') Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
        else out[k] = v;
      }
      return out;
    }
    case 'string':
      return typeof value === 'string' ? value : wrong(value, shape.type, parent, key);
    case 'integer':
    case 'long':
      return typeof value === 'number' && Number.isInteger(value) ? value : wrong(value, shape.type, parent, key);
    case 'float':
    case 'double':
      return typeof value === 'number' ? value : wrong(value, shape.type, parent, key);
    case 'boolean':
      return typeof value === 'boolean' ? value : wrong(value, shape.type, parent, key);
    case 'timestamp': {
      const d = typeof value === 'number' ? fromEpochSeconds(value) : typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
      return d ?? wrong(value, shape.type, parent, key);
    }
    case 'blob':
      return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : wrong(value, shape.type, parent, key);
    default:
      return value;
  }
}

function wrong(value: unknown, type: string, parent: string, key: string | number | undefined): never {
  throw new SerializationError(`${typeName(value)} can not be converted to ${describe(type)} (${pathOf(parent, key)})`);
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'Start of list';
  if (typeof v === 'object') return 'Start of structure or map';
  return `${typeof v === 'string' ? 'String' : typeof v === 'number' ? 'Number' : 'Boolean'} value`;
}

function describe(type: string): string {
  return { structure: 'a structure', list: 'a list', map: 'a map', string: 'a string', boolean: 'a boolean', timestamp: 'a timestamp', blob: 'a blob', integer: 'an integer', long: 'an integer' }[type] ?? 'a number';
}
