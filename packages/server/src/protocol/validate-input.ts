import { ValidationError } from '../domain/errors.js';
import { findShape, type ServiceModel, type ShapeModel } from './model/service-model.js';

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

/** `UserName` -> `userName`, as AWS names fields in validation messages. */
export function fieldName(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

/** Joins a parent path and a member, e.g. `tags.1.member` + `Key` -> `tags.1.member.key`. */
export function childPath(parent: string, member: string): string {
  return parent ? `${parent}.${fieldName(member)}` : fieldName(member);
}

/** Collects every constraint violation of `value` against the shape `shapeName`. */
export function collectViolations(model: ServiceModel, shapeName: string, value: unknown, path: string, out: Violation[]): void {
  const shape = findShape(model, shapeName);
  if (!shape || value === undefined || value === null) return;
  checkShape(model, shape, value, path, out);
}

function checkShape(model: ServiceModel, shape: ShapeModel, value: unknown, path: string, out: Violation[]): void {
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      const required = new Set(shape.required ?? []);
      for (const [member, ref] of Object.entries(shape.members)) {
        const v = obj[member];
        const p = childPath(path, member);
        if (v === undefined || v === null) {
          if (required.has(member)) out.push({ path: p, value: null, constraint: 'Member must not be null' });
          continue;
        }
        collectViolations(model, ref.shape, v, p, out);
      }
      return;
    }
    case 'list': {
      const arr = value as unknown[];
      checkLength(arr.length, shape, arr, path, out, false);
      arr.forEach((item, i) => collectViolations(model, shape.member.shape, item, `${path}.${i + 1}.member`, out));
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      checkLength(entries.length, shape, value, path, out, false);
      entries.forEach(([k, v], i) => {
        collectViolations(model, shape.key.shape, k, `${path}.${i + 1}.key`, out);
        collectViolations(model, shape.value.shape, v, `${path}.${i + 1}.value`, out);
      });
      return;
    }
    case 'string': {
      const s = value as string;
      const sensitive = shape.sensitive === true;
      // AWS counts characters as Java does: UTF-16 code units.
      checkLength(s.length, shape, s, path, out, sensitive);
      if (shape.enum && !shape.enum.includes(s)) {
        out.push({ path, value: s, sensitive, constraint: `Member must satisfy enum value set: [${shape.enum.join(', ')}]` });
      }
      if (shape.regex && shape.pattern !== undefined && !regexFor(shape.regex, shape.regexFlags ?? 'u').test(s)) {
        out.push({ path, value: s, sensitive, constraint: `Member must satisfy regular expression pattern: ${shape.pattern}` });
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min) {
        out.push({ path, value: n, constraint: `Member must have value greater than or equal to ${shape.min}` });
      }
      if (shape.max !== undefined && n > shape.max) {
        out.push({ path, value: n, constraint: `Member must have value less than or equal to ${shape.max}` });
      }
      return;
    }
    default:
      return;
  }
}

function checkLength(length: number, shape: { min?: number; max?: number }, value: unknown, path: string, out: Violation[], sensitive: boolean): void {
  if (shape.min !== undefined && length < shape.min) {
    out.push({ path, value, sensitive, constraint: `Member must have length greater than or equal to ${shape.min}` });
  }
  if (shape.max !== undefined && length > shape.max) {
    out.push({ path, value, sensitive, constraint: `Member must have length less than or equal to ${shape.max}` });
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
