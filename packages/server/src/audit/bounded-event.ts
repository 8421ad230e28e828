/**
 * Bounds every caller-controlled field of an audit event before it becomes a record, so no request
 * can write a megabyte into the permanent trail (or its indexed columns) through a header, a
 * claimed key id or a parameter that validation refused. AWS truncates over-long CloudTrail fields
 * too; the limits here are Castellan's.
 *
 * Valid input is bounded by the AWS models, so a successful call's parameters are kept as they
 * are; a refused call's are bounded string by string (the pipeline also leaves out a refused input
 * larger than `MAX_AUDITED_REFUSED_INPUT` altogether).
 */
import type { AuditEventInput } from './audit-event.js';
import { plainTreeEvery, type PlainTreeTest } from './plain-tree.js';

/** What a cut value ends with. */
export const TRUNCATED = '… (truncated)';

/** The longest value each caller-controlled field keeps, in UTF-16 code units. */
export const AUDIT_FIELD_LIMITS = Object.freeze({
  /** AWS's `accessKeyIdType` allows 16–128 characters. */
  accessKeyId: 128,
  userAgent: 1024,
  /** The credential scope's region (real regions are under 20 characters). */
  region: 64,
  /** The operation name as the caller spelled it, for unknown operations. */
  eventName: 128,
  /** An IPv6 address with zone is at most 45 characters. */
  sourceIp: 64,
  /** A DNS name (253) and a port. */
  hostHeader: 260,
  /** Each string of a refused call's parameters. */
  refusedParameter: 1024,
  /** Each member name of a refused call's parameters. */
  refusedParameterName: 128,
});

/** `value` cut to `max` code units (never inside a surrogate pair), marked as truncated. */
export function bound(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}${TRUNCATED}`;
}

/** The event with every caller-controlled field within `AUDIT_FIELD_LIMITS` (the event itself when it is). Does not modify its input. */
export function boundAuditEvent(event: AuditEventInput): AuditEventInput {
  const L = AUDIT_FIELD_LIMITS;
  // Nearly every event is within the limits already: it is then returned as it is, not copied.
  if (
    (event.error === undefined || event.request === undefined || plainTreeEvery(event.request, WITHIN_REFUSED_BOUNDS))
    && event.eventName.length <= L.eventName && event.region.length <= L.region && event.sourceIp.length <= L.sourceIp
    && event.userAgent.length <= L.userAgent && (event.claimedAccessKeyId?.length ?? 0) <= L.accessKeyId
    && (event.caller?.accessKeyId?.length ?? 0) <= L.accessKeyId && (event.tls?.clientProvidedHostHeader.length ?? 0) <= L.hostHeader
  ) {
    return event;
  }
  return {
    ...event,
    eventName: bound(event.eventName, L.eventName),
    region: bound(event.region, L.region),
    sourceIp: bound(event.sourceIp, L.sourceIp),
    userAgent: bound(event.userAgent, L.userAgent),
    ...(event.claimedAccessKeyId !== undefined ? { claimedAccessKeyId: bound(event.claimedAccessKeyId, L.accessKeyId) } : {}),
    ...(event.caller?.accessKeyId !== undefined ? { caller: { ...event.caller, accessKeyId: bound(event.caller.accessKeyId, L.accessKeyId) } } : {}),
    ...(event.tls ? { tls: { ...event.tls, clientProvidedHostHeader: bound(event.tls.clientProvidedHostHeader, L.hostHeader) } } : {}),
    ...(event.request !== undefined && event.error !== undefined ? { request: boundRefused(event.request) as Record<string, unknown> } : {}),
  };
}

/**
 * What `boundRefused` leaves as it is: every string and member name within its limit (it copies any
 * other object member by member).
 */
const WITHIN_REFUSED_BOUNDS: PlainTreeTest = {
  key: (name) => name.length <= AUDIT_FIELD_LIMITS.refusedParameterName,
  string: (value) => value.length <= AUDIT_FIELD_LIMITS.refusedParameter,
  bytesAreLeaves: true,
};

/** A refused call's parameters with every string and member name bounded. */
function boundRefused(value: unknown): unknown {
  if (typeof value === 'string') return bound(value, AUDIT_FIELD_LIMITS.refusedParameter);
  if (Array.isArray(value)) return value.map(boundRefused);
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[bound(k, AUDIT_FIELD_LIMITS.refusedParameterName)] = boundRefused(v);
  return out;
}

/**
 * Whether `JSON.stringify(value)` has at most `max` characters. An upper bound of its length is
 * counted first (each string at six characters a code unit, as if every one were escaped), and the
 * text is written only when the bound says nothing: a refused call's few parameters are then not
 * serialized once more just to be measured. Anything but plain objects, arrays, strings, finite
 * numbers, booleans, null and Dates is measured by writing it.
 */
export function jsonTextWithin(value: unknown, max: number): boolean {
  return jsonLengthBound(value, max, 0) <= max || JSON.stringify(value).length <= max;
}

/** Objects nested deeper than this are measured by writing them (no input from the wire nests so). */
const MAX_BOUNDED_DEPTH = 32;

/** An upper bound of the JSON text's length, or Infinity when it passes `budget` or is not counted. */
function jsonLengthBound(value: unknown, budget: number, depth: number): number {
  switch (typeof value) {
    case 'string':
      return 2 + 6 * value.length;
    case 'boolean':
      return 5;
    // A number's text has at most 17 significant digits, a sign, `0.` and five more zeros, or an
    // exponent (`-0.0000012345678901234567`, `-1.7976931348623157e+308`); NaN and ±Infinity are `null`.
    case 'number':
      return 32;
    case 'object':
      break;
    default:
      return Infinity;
  }
  if (value === null) return 4;
  // A Date's own toJSON: `"YYYY-MM-DDTHH:mm:ss.sssZ"`, or with a six-digit signed year, or `null`.
  const proto = Object.getPrototypeOf(value);
  if (proto === Date.prototype && !Object.hasOwn(value, 'toJSON')) return 29;
  if (depth >= MAX_BOUNDED_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return Infinity;
  let total = 2;
  if (Array.isArray(value)) {
    for (const v of value) {
      // An undefined element is written `null`.
      total += (v === undefined ? 4 : jsonLengthBound(v, budget - total, depth + 1)) + 1;
      if (total > budget) return Infinity;
    }
    return total;
  }
  if (proto !== Object.prototype && proto !== null) return Infinity;
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    // An undefined member is left out of the text.
    if (v === undefined) continue;
    total += 2 + 6 * k.length + 1 + jsonLengthBound(v, budget - total, depth + 1) + 1;
    if (total > budget) return Infinity;
  }
  return total;
}
