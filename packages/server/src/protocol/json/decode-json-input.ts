import { SerializationError } from '../../domain/errors.js';
import { findShape, type MemberModel, type ServiceModel } from '../model/service-model.js';
import { fromEpochSeconds, parseIsoTimestamp } from '../parse-timestamp.js';

/**
 * Decodes an AWS JSON 1.1 body into the typed wire input, following the model: members by name,
 * timestamps as epoch seconds (or ISO 8601 strings), blobs as base64. A value of the wrong JSON
 * type is a `SerializationException`, as AWS's JSON services answer; unknown members are ignored.
 */
export function decodeJsonInput(model: ServiceModel, shapeName: string | undefined, body: Uint8Array): Record<string, unknown> {
  if (!shapeName) return {};
  const text = new TextDecoder().decode(body).trim();
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
  return decode(model, { shape: shapeName }, raw, shapeName) as Record<string, unknown>;
}

function decode(model: ServiceModel, ref: MemberModel, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = findShape(model, ref.shape);
  if (!shape) return undefined;
  const wrong = (): never => {
    throw new SerializationError(`${typeName(value)} can not be converted to ${describe(shape.type)} (${where})`);
  };
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return wrong();
      const out: Record<string, unknown> = {};
      for (const [member, mref] of Object.entries(shape.members)) {
        const name = mref.locationName ?? member;
        const raw = Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
        const v = decode(model, mref, raw, `${where}.${member}`);
        if (v !== undefined) out[member] = v;
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) return wrong();
      return value.map((item, i) => decode(model, shape.member, item, `${where}[${i}]`));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return wrong();
      // Client-chosen keys become own properties (`out[k] = v` with k = `__proto__` would set the prototype).
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, decode(model, shape.value, v, `${where}.${k}`)]));
    }
    case 'string':
      return typeof value === 'string' ? value : wrong();
    case 'integer':
    case 'long':
      return typeof value === 'number' && Number.isInteger(value) ? value : wrong();
    case 'float':
    case 'double':
      return typeof value === 'number' ? value : wrong();
    case 'boolean':
      return typeof value === 'boolean' ? value : wrong();
    case 'timestamp': {
      const d = typeof value === 'number' ? fromEpochSeconds(value) : typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
      return d ?? wrong();
    }
    case 'blob':
      return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : wrong();
    default:
      return value;
  }
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'Start of list';
  if (typeof v === 'object') return 'Start of structure or map';
  return `${typeof v === 'string' ? 'String' : typeof v === 'number' ? 'Number' : 'Boolean'} value`;
}

function describe(type: string): string {
  return { structure: 'a structure', list: 'a list', map: 'a map', string: 'a string', boolean: 'a boolean', timestamp: 'a timestamp', blob: 'a blob', integer: 'an integer', long: 'an integer' }[type] ?? 'a number';
}
