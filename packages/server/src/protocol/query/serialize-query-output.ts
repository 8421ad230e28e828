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
  const op = model.operations[operation];
  const parts: string[] = [`<${operation}Response xmlns="${model.xmlNamespace ?? ''}">`];
  if (op?.output && op.resultWrapper) {
    parts.push(`<${op.resultWrapper}>`);
    writeMembers(model, model.shapes[op.output]!, (output ?? {}) as Record<string, unknown>, parts);
    parts.push(`</${op.resultWrapper}>`);
  }
  parts.push(`<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>`);
  return parts.join('');
}

/** Escapes text for XML element content (quotes stay as they are, as in AWS's responses). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => XML_ESCAPES[c]!);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

// Shapes whose strings AWS returns URL-encoded in IAM responses (policy documents).
const URL_ENCODED_SHAPES = new Set(['policyDocumentType']);

function writeMembers(model: ServiceModel, shape: ShapeModel, obj: Record<string, unknown>, parts: string[]): void {
  if (shape.type !== 'structure') return;
  for (const [member, ref] of Object.entries(shape.members)) {
    const v = obj[member];
    if (v === undefined || v === null) continue;
    writeValue(model, ref, ref.locationName ?? member, v, parts);
  }
}

function writeValue(model: ServiceModel, ref: MemberModel, name: string, value: unknown, parts: string[]): void {
  const shape = model.shapes[ref.shape];
  if (!shape) return;
  switch (shape.type) {
    case 'structure':
      parts.push(`<${name}>`);
      writeMembers(model, shape, value as Record<string, unknown>, parts);
      parts.push(`</${name}>`);
      return;
    case 'list': {
      const items = value as unknown[];
      const itemName = shape.member.locationName ?? 'member';
      if (shape.flattened || ref.flattened) {
        for (const item of items) writeValue(model, shape.member, name, item, parts);
        return;
      }
      parts.push(`<${name}>`);
      for (const item of items) writeValue(model, shape.member, itemName, item, parts);
      parts.push(`</${name}>`);
      return;
    }
    case 'map': {
      const keyName = shape.key.locationName ?? 'key';
      const valueName = shape.value.locationName ?? 'value';
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
      parts.push(`<${name}>`);
      for (const [k, v] of entries) {
        parts.push('<entry>');
        writeValue(model, shape.key, keyName, k, parts);
        writeValue(model, shape.value, valueName, v, parts);
        parts.push('</entry>');
      }
      parts.push(`</${name}>`);
      return;
    }
    default:
      parts.push(`<${name}>${escapeXml(scalarText(ref.shape, shape, value))}</${name}>`);
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
