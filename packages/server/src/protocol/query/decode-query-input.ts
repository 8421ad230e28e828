import { findShape, type MemberModel, type ServiceModel, type ShapeModel } from '../model/service-model.js';
import { parseTimestamp } from '../parse-timestamp.js';
import { childPath, type Violation } from '../validate-input.js';

/**
 * Decodes flat Query parameters (`UserName=bob`, `Tags.member.1.Key=k`, `Map.entry.1.key=…`) into
 * the typed wire input of an operation, following the model: structures by member (or
 * `locationName`), lists as `Name.member.N` (`Name.N` when flattened), maps as
 * `Name.entry.N.key` / `.value`, numbers, booleans, ISO 8601 timestamps and base64 blobs.
 * Values that cannot be converted are reported as violations (phrased as ValidationError), so
 * one response lists every problem.
 */
export function decodeQueryInput(
  model: ServiceModel,
  shapeName: string | undefined,
  params: ReadonlyMap<string, string>,
): { input: Record<string, unknown>; violations: Violation[] } {
  const violations: Violation[] = [];
  if (!shapeName) return { input: {}, violations };
  const decoder = new QueryDecoder(model, params, violations);
  const shape = findShape(model, shapeName);
  const input = (shape && decoder.structure(shape, '', '')) ?? {};
  return { input: input as Record<string, unknown>, violations };
}

class QueryDecoder {
  /** Every `a.b` that is followed by `.` in some parameter name (structures present by prefix). */
  private readonly prefixes = new Set<string>();
  /** For each prefix, the item numbers N seen as `prefix.N` / `prefix.N.…` (1-based; 0 and junk ignored). */
  private readonly itemNumbers = new Map<string, Set<number>>();

  constructor(
    private readonly model: ServiceModel,
    private readonly params: ReadonlyMap<string, string>,
    private readonly violations: Violation[],
  ) {
    // One pass over the names: a per-lookup scan would make a 1 MiB request with thousands of
    // list items quadratic (tens of seconds with the event loop blocked).
    for (const key of params.keys()) {
      let dot = key.indexOf('.');
      while (dot !== -1) {
        const prefix = key.slice(0, dot);
        this.prefixes.add(prefix);
        const next = key.indexOf('.', dot + 1);
        const segment = key.slice(dot + 1, next === -1 ? undefined : next);
        if (/^[1-9][0-9]{0,5}$/.test(segment)) {
          let set = this.itemNumbers.get(prefix);
          if (!set) this.itemNumbers.set(prefix, (set = new Set()));
          set.add(Number(segment));
        }
        dot = next;
      }
    }
  }

  private hasPrefix(prefix: string): boolean {
    return this.prefixes.has(prefix);
  }

  /** Sorted item indices N present under `prefix.N` / `prefix.N.…`. */
  private indices(prefix: string): number[] {
    const found = this.itemNumbers.get(prefix);
    return found ? [...found].sort((a, b) => a - b) : [];
  }

  value(ref: MemberModel, key: string, path: string): unknown {
    const shape = findShape(this.model, ref.shape);
    if (!shape) return undefined;
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, key, path);
      case 'list':
        return this.list(shape, ref, key, path);
      case 'map':
        return this.map(shape, ref, key, path);
      default: {
        const raw = this.params.get(key);
        return raw === undefined ? undefined : this.scalar(shape, raw, path);
      }
    }
  }

  structure(shape: ShapeModel, prefix: string, path: string): Record<string, unknown> | undefined {
    if (shape.type !== 'structure') return undefined;
    if (prefix && !this.hasPrefix(prefix)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [member, ref] of Object.entries(shape.members)) {
      const name = ref.locationName ?? member;
      const key = prefix ? `${prefix}.${name}` : name;
      const v = this.value(ref, key, childPath(path, member));
      if (v !== undefined) out[member] = v;
    }
    return out;
  }

  private list(shape: ShapeModel & { type: 'list' }, ref: MemberModel, key: string, path: string): unknown[] | undefined {
    const flattened = shape.flattened === true || ref.flattened === true;
    const itemPrefix = flattened ? key : `${key}.${shape.member.locationName ?? 'member'}`;
    const idx = this.indices(itemPrefix);
    if (idx.length === 0) {
      // The SDKs send `Name=` for an empty list.
      return this.params.get(key) === '' ? [] : undefined;
    }
    return idx.map((n) => this.value(shape.member, `${itemPrefix}.${n}`, `${path}.${n}.member`));
  }

  private map(shape: ShapeModel & { type: 'map' }, ref: MemberModel, key: string, path: string): Record<string, unknown> | undefined {
    const flattened = shape.flattened === true || ref.flattened === true;
    const entryPrefix = flattened ? key : `${key}.entry`;
    const idx = this.indices(entryPrefix);
    if (idx.length === 0) return this.params.get(key) === '' ? {} : undefined;
    const entries: Array<[string, unknown]> = [];
    const keyName = shape.key.locationName ?? 'key';
    const valueName = shape.value.locationName ?? 'value';
    for (const n of idx) {
      const k = this.params.get(`${entryPrefix}.${n}.${keyName}`);
      if (k === undefined) {
        this.violations.push({ path: `${path}.${n}.key`, value: null, constraint: 'Member must not be null' });
        continue;
      }
      entries.push([k, this.value(shape.value, `${entryPrefix}.${n}.${valueName}`, `${path}.${n}.value`)]);
    }
    // Client-chosen keys become own properties (`out[k] = v` with k = `__proto__` would set the prototype).
    return Object.fromEntries(entries);
  }

  private scalar(shape: ShapeModel, raw: string, path: string): unknown {
    switch (shape.type) {
      case 'string':
        return raw;
      case 'integer':
      case 'long': {
        if (!/^[+-]?\d+$/.test(raw.trim())) return this.bad(path, raw, 'Member must be an integer');
        const n = Number(raw);
        if (!Number.isSafeInteger(n)) return this.bad(path, raw, 'Member must be an integer');
        return n;
      }
      case 'float':
      case 'double': {
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n)) return this.bad(path, raw, 'Member must be a number');
        return n;
      }
      case 'boolean':
        if (raw === 'true') return true;
        if (raw === 'false') return false;
        return this.bad(path, raw, 'Member must be a boolean (true or false)');
      case 'timestamp': {
        const d = parseTimestamp(raw);
        return d ?? this.bad(path, raw, 'Member must be a timestamp in ISO 8601 format');
      }
      case 'blob':
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) return this.bad(path, raw, 'Member must be base64-encoded');
        return new Uint8Array(Buffer.from(raw, 'base64'));
      default:
        return raw;
    }
  }

  private bad(path: string, value: string, constraint: string): undefined {
    this.violations.push({ path, value, constraint });
    return undefined;
  }
}
