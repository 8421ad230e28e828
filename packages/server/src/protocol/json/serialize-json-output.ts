import type { MemberModel, ServiceModel, StructureShape } from '../model/service-model.js';

/**
 * Serializes an operation's wire output for AWS JSON 1.1, following the model: structures with
 * their members, timestamps as epoch seconds (numbers), blobs as base64; absent members omitted.
 */
export function serializeJsonOutput(model: ServiceModel, operation: string, output: unknown): string {
  const op = model.operations[operation];
  if (!op?.output || output === undefined || output === null) return '{}';
  return JSON.stringify(encode(model, { shape: op.output }, output) ?? {});
}

/** Each structure's members, listed once (not an `Object.entries` per object written). */
const structureMembers = new WeakMap<StructureShape, Array<[string, MemberModel]>>();

function membersOf(shape: StructureShape): Array<[string, MemberModel]> {
  let members = structureMembers.get(shape);
  if (!members) structureMembers.set(shape, (members = Object.entries(shape.members)));
  return members;
}

function encode(model: ServiceModel, ref: MemberModel, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = model.shapes[ref.shape];
  if (!shape) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [member, mref] of membersOf(shape)) {
        const v = encode(model, mref, (value as Record<string, unknown>)[member]);
        if (v !== undefined) out[mref.locationName ?? member] = v;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => encode(model, shape.member, item));
    case 'map': {
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
      return Object.fromEntries(entries.map(([k, v]) => [k, encode(model, shape.value, v)]));
    }
    case 'timestamp': {
      const d = value instanceof Date ? value : new Date(value as string | number);
      return d.getTime() / 1000;
    }
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      return value;
  }
}
