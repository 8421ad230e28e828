import type { MemberModel, ServiceModel, ShapeModel, StructureShape } from '../model/service-model.js';

/**
 * Serializes an operation's wire output for AWS JSON 1.1, following the model: structures with
 * their members, timestamps as epoch seconds (numbers), blobs as base64; absent members omitted.
 */
export function serializeJsonOutput(model: ServiceModel, operation: string, output: unknown): string {
  const op = model.operations[operation];
  if (!op?.output || output === undefined || output === null) return '{}';
  return JSON.stringify(encode(model, model.shapes[op.output], output) ?? {});
}

/** Each structure's members with their wire names and shapes, listed once (not an `Object.entries` per object written). */
const structureMembers = new WeakMap<StructureShape, Array<[member: string, wireName: string, shape: ShapeModel | undefined]>>();

function membersOf(model: ServiceModel, shape: StructureShape): Array<[string, string, ShapeModel | undefined]> {
  let members = structureMembers.get(shape);
  if (!members) structureMembers.set(shape, (members = Object.entries(shape.members).map(([member, ref]) => [member, ref.locationName ?? member, model.shapes[ref.shape]])));
  return members;
}

/** `value` as `shape` says (`shape` found by the caller: once per member, list or map, not per value). */
function encode(model: ServiceModel, shape: ShapeModel | undefined, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (!shape) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [member, name, mshape] of membersOf(model, shape)) {
        const v = encode(model, mshape, (value as Record<string, unknown>)[member]);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      const item = model.shapes[shape.member.shape];
      return (value as unknown[]).map((v) => encode(model, item, v));
    }
    case 'map': {
      const valueShape = model.shapes[shape.value.shape];
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
      return Object.fromEntries(entries.map(([k, v]) => [k, encode(model, valueShape, v)]));
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
