/**
 * A small JSON reader that keeps source positions and reports duplicate keys.
 *
 * `JSON.parse` keeps the last of two equal keys, which would silently drop a condition
 * (`"StringEquals"` twice in one Condition block): a fail-open bug. This reader keeps every
 * entry so the validator can reject duplicates, and records where each value starts and ends
 * so diagnostics and the policy simulator can point at a statement.
 */
import type { SourcePosition, SourceSpan } from '../types.js';

/** A JSON value with its span in the source text (span is absent for values given as objects). */
export type JsonNode =
  | { kind: 'object'; entries: JsonEntry[]; span?: SourceSpan }
  | { kind: 'array'; items: JsonNode[]; span?: SourceSpan }
  | { kind: 'string'; value: string; span?: SourceSpan }
  | { kind: 'number'; value: number; raw: string; span?: SourceSpan }
  | { kind: 'boolean'; value: boolean; span?: SourceSpan }
  | { kind: 'null'; span?: SourceSpan };

/** One `"key": value` member of an object, in source order. */
export interface JsonEntry {
  key: string;
  value: JsonNode;
  keySpan?: SourceSpan;
}

/** The result of reading JSON text. */
export type JsonReadResult = { ok: true; node: JsonNode } | { ok: false; message: string; position: SourcePosition };

/** Nesting deeper than this is refused: no policy needs it, and it bounds recursion. */
const MAX_DEPTH = 64;

class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/**
 * Reads JSON text into a {@link JsonNode} tree. Never throws; runs in time linear in the input.
 */
export function readJson(text: string): JsonReadResult {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const at = (offset: number): SourcePosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  let pos = 0;

  const skipWs = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
  };
  const fail = (message: string, offset = pos): never => {
    throw new JsonSyntaxError(message, offset);
  };
  const span = (start: number, endExclusive: number): SourceSpan => ({ start: at(start), end: at(Math.max(start, endExclusive - 1)) });

  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    let chunkStart = pos;
    while (true) {
      if (pos >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(pos);
      if (c === 34) {
        out += text.slice(chunkStart, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 92) {
        out += text.slice(chunkStart, pos);
        const e = text[pos + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(pos + 2, pos + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid unicode escape');
            out += String.fromCharCode(parseInt(hex, 16));
            pos += 4;
            break;
          }
          default:
            fail('invalid escape in string');
        }
        pos += 2;
        chunkStart = pos;
        continue;
      }
      pos++;
    }
  };

  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    skipWs();
    if (pos >= text.length) fail('unexpected end of input');
    const start = pos;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries: JsonEntry[] = [];
      skipWs();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', entries, span: span(start, pos) };
      }
      while (true) {
        skipWs();
        if (text[pos] !== '"') fail('expected a string key');
        const keyStart = pos;
        const key = readString();
        const keySpan = span(keyStart, pos);
        skipWs();
        if (text[pos] !== ':') fail('expected `:` after key');
        pos++;
        const value = readValue(depth + 1);
        entries.push({ key, value, keySpan });
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { kind: 'object', entries, span: span(start, pos) };
        }
        fail('expected `,` or `}`');
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipWs();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', items, span: span(start, pos) };
      }
      while (true) {
        items.push(readValue(depth + 1));
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { kind: 'array', items, span: span(start, pos) };
        }
        fail('expected `,` or `]`');
      }
    }
    if (c === '"') {
      const value = readString();
      return { kind: 'string', value, span: span(start, pos) };
    }
    if (text.startsWith('true', pos)) {
      pos += 4;
      return { kind: 'boolean', value: true, span: span(start, pos) };
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return { kind: 'boolean', value: false, span: span(start, pos) };
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return { kind: 'null', span: span(start, pos) };
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0) {
      pos += m[0].length;
      return { kind: 'number', value: Number(m[0]), raw: m[0], span: span(start, pos) };
    }
    return fail(`unexpected character \`${text[pos]}\``);
  };

  try {
    // A leading byte-order mark is tolerated, as most JSON tools do.
    if (text.charCodeAt(0) === 0xfeff) pos = 1;
    const node = readValue(0);
    skipWs();
    if (pos < text.length) fail('unexpected text after the JSON value');
    return { ok: true, node };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, message: e.message, position: at(Math.min(e.offset, text.length)) };
    if (e instanceof RangeError) return { ok: false, message: 'document is too deeply nested', position: at(0) };
    throw e;
  }
}

/**
 * Turns an already-parsed JavaScript value into a {@link JsonNode} tree (without spans).
 * Values that JSON cannot hold (functions, undefined, cycles) become `null` nodes so the
 * validator reports them instead of crashing.
 */
export function toJsonNode(value: unknown, depth = 0, seen: Set<object> = new Set()): JsonNode {
  if (value === null || value === undefined || depth > MAX_DEPTH) return { kind: 'null' };
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number') return Number.isFinite(value) ? { kind: 'number', value, raw: String(value) } : { kind: 'null' };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value !== 'object' || seen.has(value)) return { kind: 'null' };
  seen.add(value);
  try {
    if (Array.isArray(value)) return { kind: 'array', items: value.map((v) => toJsonNode(v, depth + 1, seen)) };
    const entries: JsonEntry[] = [];
    for (const key of Object.keys(value)) entries.push({ key, value: toJsonNode((value as Record<string, unknown>)[key], depth + 1, seen) });
    return { kind: 'object', entries };
  } finally {
    seen.delete(value);
  }
}
