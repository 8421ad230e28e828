import type { MemberModel, ServiceModel, ShapeModel } from '../model/service-model.js';

/**
 * Serializes an operation's wire output to the Query protocol's XML, following the model:
 * `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata><RequestId/></ResponseMetadata></XResponse>`,
 * lists as `<member>`, maps as `<entry><key/><value/></entry>`, ISO 8601 timestamps, lowercase
 * booleans, base64 blobs, and IAM policy documents (`policyDocumentType`) URL-encoded as AWS does.
 */
export function serializeQueryResponse(
  model: ServiceModel,
  operation: string,
  output: unknown,
  requestId: string,
): string {
  // Plain `+=`: V8 joins the pieces lazily (ropes), cheaper than an array of parts and `join`.
  const op = model.operations[operation];
  let xml = `<${operation}Response xmlns="${model.xmlNamespace ?? ''}">`;
  if (op?.output && op.resultWrapper) {
    xml += `<${op.resultWrapper}>${writeMembers(model, model.shapes[op.output]!, (output ?? {}) as Record<string, unknown>)}</${op.resultWrapper}>`;
  }
  return `${xml}<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>`;
}

/** Escapes text for XML element content (quotes stay as they are, as in AWS's responses). */
export function escapeXml(s: string): string {
  // Most values (ids, names, ARNs, dates) have nothing to escape: test before building a new string.
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPED, (c) => XML_ESCAPES[c]!) : s;
}

const NEEDS_ESCAPE = /[&<>\r]/;
const ESCAPED = /[&<>\r]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

// Shapes whose strings AWS returns URL-encoded in IAM responses (policy documents).
const URL_ENCODED_SHAPES = new Set(['policyDocumentType']);

/** A structure member as written: its name in the model, its reference and its element name. */
interface WireMember {
  member: string;
  ref: MemberModel;
  name: string;
}

/** Each structure's members, listed once (not an `Object.entries` per object written). */
const wireMembers = new WeakMap<ShapeModel, WireMember[]>();

function membersOf(shape: ShapeModel & { type: 'structure' }): WireMember[] {
  let members = wireMembers.get(shape);
  if (!members) {
    members = Object.entries(shape.members).map(([member, ref]) => ({ member, ref, name: ref.locationName ?? member }));
    wireMembers.set(shape, members);
  }
  return members;
}

function writeMembers(model: ServiceModel, shape: ShapeModel, obj: Record<string, unknown>): string {
  if (shape.type !== 'structure') return '';
  let xml = '';
  for (const { member, ref, name } of membersOf(shape)) {
    const v = obj[member];
    if (v === undefined || v === null) continue;
    xml += writeValue(model, ref, name, v);
  }
  return xml;
}

function writeValue(model: ServiceModel, ref: MemberModel, name: string, value: unknown): string {
  const shape = model.shapes[ref.shape];
  if (!shape) return '';
  switch (shape.type) {
    case 'structure':
      return `<${name}>${writeMembers(model, shape, value as Record<string, unknown>)}</${name}>`;
    case 'list': {
      const items = value as unknown[];
      let xml = '';
      if (shape.flattened || ref.flattened) {
        for (const item of items) xml += writeValue(model, shape.member, name, item);
        return xml;
      }
      const itemName = shape.member.locationName ?? 'member';
      for (const item of items) xml += writeValue(model, shape.member, itemName, item);
      return `<${name}>${xml}</${name}>`;
    }
    case 'map': {
      const keyName = shape.key.locationName ?? 'key';
      const valueName = shape.value.locationName ?? 'value';
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
      let xml = '';
      for (const [k, v] of entries) xml += `<entry>${writeValue(model, shape.key, keyName, k)}${writeValue(model, shape.value, valueName, v)}</entry>`;
      return `<${name}>${xml}</${name}>`;
    }
    default:
      return `<${name}>${escapeXml(scalarText(ref.shape, shape, value))}</${name}>`;
  }
}

function scalarText(shapeName: string, shape: ShapeModel, value: unknown): string {
  switch (shape.type) {
    case 'timestamp':
      return formatIsoTimestamp(value instanceof Date ? value : new Date(value as string | number));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'string':
      return URL_ENCODED_SHAPES.has(shapeName) ? encodeURIComponent(String(value)) : String(value);
    default:
      return String(value);
  }
}

/** ISO 8601 in UTC as AWS writes it: `2024-01-02T03:04:05Z`, with milliseconds only when non-zero. */
export function formatIsoTimestamp(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
