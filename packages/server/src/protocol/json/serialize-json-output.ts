import type { MemberModel, ServiceModel, StructureShape } from '../model/service-model.js';

/**
 * Serializes an operation's wire output for AWS JSON 1.1, following the model: structures with
 * their members, timestamps as epoch seconds (numbers), blobs as base64; absent members omitted.
 * The JSON text is written while the value is walked (no intermediate object tree for
 * `JSON.stringify` to walk again); it is the text `JSON.stringify` gives for that tree.
 */
export function serializeJsonOutput(model: ServiceModel, operation: string, output: unknown): string {
  const op = model.operations[operation];
  if (!op?.output || output === undefined || output === null) return '{}';
  return write(model, { shape: op.output }, output) ?? '{}';
}

/** A structure's members with their JSON keys (`"Name":`), listed once per shape. */
interface MemberList {
  members: Array<[member: string, ref: MemberModel, key: string]>;
  /**
   * A wire name that is an array index (an object lists those first) or repeated: the shape is
   * written through an object, in the order the object has. No model has one.
   */
  viaObject: boolean;
}

const structureMembers = new WeakMap<StructureShape, MemberList>();

function membersOf(shape: StructureShape): MemberList {
  let list = structureMembers.get(shape);
  if (!list) {
    const members = Object.entries(shape.members).map(([member, ref]): [string, MemberModel, string] => [member, ref, `${JSON.stringify(ref.locationName ?? member)}:`]);
    const names = members.map(([member, ref]) => ref.locationName ?? member);
    list = { members, viaObject: new Set(names).size !== names.length || names.some(isArrayIndex) };
    structureMembers.set(shape, list);
  }
  return list;
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** The JSON text of `value`, or undefined where the member is absent (omitted from an object, `null` in a list). */
function write(model: ServiceModel, ref: MemberModel, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = model.shapes[ref.shape];
  if (!shape) return undefined;
  switch (shape.type) {
    case 'structure': {
      const { members, viaObject } = membersOf(shape);
      if (viaObject) {
        const out: Record<string, unknown> = {};
        for (const [member, mref] of members) {
          const v = write(model, mref, (value as Record<string, unknown>)[member]);
          if (v !== undefined) out[mref.locationName ?? member] = new RawJson(v);
        }
        return objectText(out);
      }
      let text = '';
      for (const [member, mref, key] of members) {
        const v = write(model, mref, (value as Record<string, unknown>)[member]);
        if (v !== undefined) text += text === '' ? `{${key}${v}` : `,${key}${v}`;
      }
      return text === '' ? '{}' : `${text}}`;
    }
    case 'list': {
      const items = value as unknown[];
      let text = '[';
      for (let i = 0; i < items.length; i++) text += `${i === 0 ? '' : ','}${write(model, shape.member, items[i]) ?? 'null'}`;
      return `${text}]`;
    }
    case 'map': {
      // Through an object: it orders the keys (array indices first) as the output object did.
      const out: Record<string, unknown> = {};
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
      for (const [k, v] of entries) {
        const text = write(model, shape.value, v);
        const raw = text === undefined ? undefined : new RawJson(text);
        // Own properties, as `Object.fromEntries` made them (`out[k] = v` with k = `__proto__` would set the prototype).
        if (k === '__proto__') Object.defineProperty(out, k, { value: raw, writable: true, enumerable: true, configurable: true });
        else out[k as string] = raw;
      }
      return objectText(out);
    }
    case 'timestamp': {
      const d = value instanceof Date ? value : new Date(value as string | number);
      return JSON.stringify(d.getTime() / 1000);
    }
    case 'blob':
      return JSON.stringify(Buffer.from(value as Uint8Array).toString('base64'));
    default:
      return JSON.stringify(value);
  }
}

/** JSON text already written, held in an object until its key's place is known. */
class RawJson {
  constructor(readonly text: string) {}
}

/** `{…}` of an object whose values are {@link RawJson} (or undefined: omitted), in the object's key order. */
function objectText(out: Record<string, unknown>): string {
  let text = '';
  for (const k of Object.keys(out)) {
    const v = out[k];
    if (v instanceof RawJson) text += `${text === '' ? '{' : ','}${JSON.stringify(k)}:${v.text}`;
  }
  return text === '' ? '{}' : `${text}}`;
}
