import { ValidationError } from '../domain/errors.js';
import { findShape, type ServiceModel, type ShapeModel, type StringShape } from './model/service-model.js';

/**
 * Model-driven input validation shared by the Query and JSON protocols: required members, string
 * and list lengths, patterns, enums and numeric ranges. Violations are collected, not thrown one by
 * one, and reported in AWS's words:
 * `2 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member must not be null; …`.
 */

/** One violated constraint, before it is phrased. */
export interface Violation {
  /** AWS's field path: camelCase member names, list items as `tags.1.member.key`. */
  path: string;
  /** The offending value (`null` for a missing required member). */
  value: unknown;
  /** `Member must …`. */
  constraint: string;
  /** Hide the value (sensitive shapes such as passwords). */
  sensitive?: boolean;
}

const REGEX_CACHE = new Map<string, RegExp>();

function regexFor(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let re = REGEX_CACHE.get(key);
  if (!re) {
    re = new RegExp(source, flags);
    REGEX_CACHE.set(key, re);
  }
  return re;
}

/** A string shape's pattern, found once per shape (not a cache key string per value checked). */
const SHAPE_REGEX = new WeakMap<StringShape, RegExp>();

function shapeRegex(shape: StringShape & { regex: string }): RegExp {
  let re = SHAPE_REGEX.get(shape);
  if (re === undefined) SHAPE_REGEX.set(shape, (re = regexFor(shape.regex, shape.regexFlags ?? 'u')));
  return re;
}

/** `UserName` -> `userName`, as AWS names fields in validation messages. */
export function fieldName(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

/** Joins a parent path and a member, e.g. `tags.1.member` + `Key` -> `tags.1.member.key`. */
export function childPath(parent: string, member: string): string {
  return parent ? `${parent}.${fieldName(member)}` : fieldName(member);
}

/**
 * Where a value sits in the input, built into AWS's dotted path only when a violation names it: a
 * valid input (nearly every request) costs no path strings.
 */
interface PathNode {
  readonly parent: PathNode | undefined;
  /** A member's field name, or `member`/`key`/`value` after a list or map item's index. */
  readonly segment: string;
  /** A list or map item's 1-based index, written before `segment`. */
  readonly index?: number;
}

function pathText(node: PathNode | undefined): string {
  if (node === undefined) return '';
  const own = node.index === undefined ? node.segment : `${node.index}.${node.segment}`;
  return node.parent === undefined ? own : `${pathText(node.parent)}.${own}`;
}

/** A structure's member as the checker walks it, resolved once per shape. */
interface MemberPlan {
  readonly member: string;
  readonly field: string;
  readonly shape: ShapeModel | undefined;
  readonly required: boolean;
}

const MEMBER_PLANS = new WeakMap<ShapeModel, readonly MemberPlan[]>();

function memberPlans(model: ServiceModel, shape: ShapeModel & { type: 'structure' }): readonly MemberPlan[] {
  let plans = MEMBER_PLANS.get(shape);
  if (plans === undefined) {
    const required = new Set(shape.required ?? []);
    plans = Object.entries(shape.members).map(([member, ref]) => ({ member, field: fieldName(member), shape: findShape(model, ref.shape), required: required.has(member) }));
    MEMBER_PLANS.set(shape, plans);
  }
  return plans;
}

/** Collects every constraint violation of `value` against the shape `shapeName`. */
export function collectViolations(model: ServiceModel, shapeName: string, value: unknown, path: string, out: Violation[]): void {
  const shape = findShape(model, shapeName);
  if (!shape || value === undefined || value === null) return;
  checkShape(model, shape, value, undefined, path === '' ? undefined : path, undefined, out);
}

/**
 * A value's place is passed as its parent's node, its own segment and index: only a structure,
 * list or map makes a node for its children (a leaf that passes, most of an input, makes none).
 */
function nodeAt(parent: PathNode | undefined, segment: string | undefined, index: number | undefined): PathNode | undefined {
  if (segment === undefined) return parent;
  return index === undefined ? { parent, segment } : { parent, segment, index };
}

function checkValue(model: ServiceModel, shape: ShapeModel | undefined, value: unknown, parent: PathNode | undefined, segment: string, index: number | undefined, out: Violation[]): void {
  if (shape !== undefined && value !== undefined && value !== null) checkShape(model, shape, value, parent, segment, index, out);
}

function checkShape(model: ServiceModel, shape: ShapeModel, value: unknown, parent: PathNode | undefined, segment: string | undefined, index: number | undefined, out: Violation[]): void {
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      const here = nodeAt(parent, segment, index);
      for (const plan of memberPlans(model, shape)) {
        const v = obj[plan.member];
        if (v === undefined || v === null) {
          if (plan.required) out.push({ path: pathText({ parent: here, segment: plan.field }), value: null, constraint: 'Member must not be null' });
          continue;
        }
        checkValue(model, plan.shape, v, here, plan.field, undefined, out);
      }
      return;
    }
    case 'list': {
      const arr = value as unknown[];
      checkLength(arr.length, shape, arr, parent, segment, index, out, false);
      const item = findShape(model, shape.member.shape);
      if (item === undefined || arr.length === 0) return;
      const here = nodeAt(parent, segment, index);
      for (let i = 0; i < arr.length; i++) {
        // The models' lists and maps are dense: a JSON `null` in one is no value (a handler would meet `undefined`).
        if (arr[i] === undefined || arr[i] === null) out.push({ path: pathText({ parent: here, segment: 'member', index: i + 1 }), value: null, constraint: 'Member must not be null' });
        else checkValue(model, item, arr[i], here, 'member', i + 1, out);
      }
      return;
    }
    case 'map': {
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj);
      checkLength(keys.length, shape, value, parent, segment, index, out, false);
      const keyShape = findShape(model, shape.key.shape);
      const valueShape = findShape(model, shape.value.shape);
      const here = nodeAt(parent, segment, index);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        checkValue(model, keyShape, k, here, 'key', i + 1, out);
        if (obj[k] === undefined || obj[k] === null) out.push({ path: pathText({ parent: here, segment: 'value', index: i + 1 }), value: null, constraint: 'Member must not be null' });
        else checkValue(model, valueShape, obj[k], here, 'value', i + 1, out);
      }
      return;
    }
    case 'string': {
      const s = value as string;
      const sensitive = shape.sensitive === true;
      // AWS counts characters as Java does: UTF-16 code units.
      checkLength(s.length, shape, s, parent, segment, index, out, sensitive);
      if (shape.enum && !shape.enum.includes(s)) {
        out.push({ path: pathText(nodeAt(parent, segment, index)), value: s, sensitive, constraint: `Member must satisfy enum value set: [${shape.enum.join(', ')}]` });
      }
      if (shape.regex && shape.pattern !== undefined && !shapeRegex(shape as StringShape & { regex: string }).test(s)) {
        out.push({ path: pathText(nodeAt(parent, segment, index)), value: s, sensitive, constraint: `Member must satisfy regular expression pattern: ${shape.pattern}` });
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min) {
        out.push({ path: pathText(nodeAt(parent, segment, index)), value: n, constraint: `Member must have value greater than or equal to ${shape.min}` });
      }
      if (shape.max !== undefined && n > shape.max) {
        out.push({ path: pathText(nodeAt(parent, segment, index)), value: n, constraint: `Member must have value less than or equal to ${shape.max}` });
      }
      return;
    }
    default:
      return;
  }
}

function checkLength(length: number, shape: { min?: number; max?: number }, value: unknown, parent: PathNode | undefined, segment: string | undefined, index: number | undefined, out: Violation[], sensitive: boolean): void {
  if (shape.min !== undefined && length < shape.min) {
    out.push({ path: pathText(nodeAt(parent, segment, index)), value, sensitive, constraint: `Member must have length greater than or equal to ${shape.min}` });
  }
  if (shape.max !== undefined && length > shape.max) {
    out.push({ path: pathText(nodeAt(parent, segment, index)), value, sensitive, constraint: `Member must have length less than or equal to ${shape.max}` });
  }
}

/** Renders a value as AWS does in validation messages (`'x'`, `null`, `'[a, b]'`). */
function renderValue(v: Violation): string {
  if (v.value === null) return 'null';
  if (v.sensitive) return "'*** Sensitive Data Redacted ***'";
  return `'${render(v.value)}'`;
}

function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${render(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** Phrases violations as AWS's ValidationError message. */
export function validationMessage(violations: readonly Violation[]): string {
  const n = violations.length;
  const head = `${n} validation error${n === 1 ? '' : 's'} detected: `;
  return head + violations.map((v) => `Value ${renderValue(v)} at '${v.path}' failed to satisfy constraint: ${v.constraint}`).join('; ');
}

/** Throws one `ValidationError` listing every violation, if there is any. */
export function assertValid(model: ServiceModel, shapeName: string | undefined, input: unknown, extra: readonly Violation[] = []): void {
  const violations = [...extra];
  if (shapeName) collectViolations(model, shapeName, input ?? {}, '', violations);
  if (violations.length > 0) throw new ValidationError(validationMessage(violations));
}
