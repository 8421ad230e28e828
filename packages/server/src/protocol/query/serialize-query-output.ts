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

/**
 * Escapes text for XML element content (quotes stay as they are, as in AWS's responses). A
 * character XML 1.0 cannot carry at all, even as a reference (C0 controls but tab, newline and
 * carriage return; U+FFFE, U+FFFF; a lone surrogate), becomes U+FFFD: such characters reach the
 * output in values no pattern restricts (a policy's description) and in error messages that quote
 * the input, and strict parsers (botocore's expat, so boto3 and the AWS CLI) refuse the whole
 * response otherwise.
 */
export function escapeXml(s: string): string {
  // Most values (ids, names, ARNs, dates) have nothing to escape: test before building a new string.
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPED, (c) => XML_ESCAPES[c] ?? '\uFFFD') : s;
}

// \x0B-\x1F holds \r. The test, without the `u` flag (it is the faster one), also takes a paired
// surrogate (an emoji) to the replacement, whose `u` flag matches only unpaired ones.
const NEEDS_ESCAPE = /[&<>\0-\x08\x0B-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ESCAPED = /[&<>\0-\x08\x0B-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

// Shapes whose strings AWS returns URL-encoded in IAM responses (policy documents).
const URL_ENCODED_SHAPES = new Set(['policyDocumentType']);

/**
 * Writes one value as its element, `<name>…</name>` (a flattened list: its items' elements). Built
 * once per member of the model (`elementWriter`), with the shape resolved and the tags spelled out,
 * because a listing writes the same members for every row: looking the shape up and building its
 * tags again per value cost more than the values' own text (bench/api/profile-lists.js).
 */
type ElementWriter = (value: unknown) => string;

/** Writes the members of one structure (without its own element), in model order. */
type MembersWriter = (obj: Record<string, unknown>) => string;

/** Each structure's members writer, built once (`membersWriter`). */
const membersWriters = new WeakMap<ShapeModel, MembersWriter>();

function writeMembers(model: ServiceModel, shape: ShapeModel, obj: Record<string, unknown>): string {
  return shape.type === 'structure' ? membersWriter(model, shape)(obj) : '';
}

function membersWriter(model: ServiceModel, shape: ShapeModel & { type: 'structure' }): MembersWriter {
  let write = membersWriters.get(shape);
  if (!write) {
    write = compileMembersWriter(model, shape);
    membersWriters.set(shape, write);
  }
  return write;
}

/** How a member's value becomes its element's text: inline in a compiled writer, or by its element writer. */
type MemberPlan = { member: string; name: string; text: 'string' | 'timestamp' | 'boolean' } | { member: string; write: ElementWriter };

function memberPlan(model: ServiceModel, member: string, ref: MemberModel): MemberPlan | undefined {
  const shape = model.shapes[ref.shape];
  if (!shape) return undefined;
  const name = ref.locationName ?? member;
  if (shape.type === 'timestamp' || shape.type === 'boolean') return { member, name, text: shape.type };
  // Strings and numbers are `escapeXml(String(v))`; policy documents are URL-encoded first.
  const plain = shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map' && shape.type !== 'blob' && !URL_ENCODED_SHAPES.has(ref.shape);
  return plain ? { member, name, text: 'string' } : { member, write: elementWriter(model, ref, name) };
}

/**
 * A structure's members writer as one function of its own, compiled from the model: every member
 * read by its literal name and its tags written as constants. A page runs it once a row, and a
 * shared loop over the members (each read `obj[member]` at a key that changes, through a closure
 * per member) cost more than the text it wrote: every structure of every response went through the
 * same property reads, which V8 could not specialise (bench/api/profile-lists.js). The generated
 * source holds only the model's member and element names, as JSON string literals.
 */
function compileMembersWriter(model: ServiceModel, shape: ShapeModel & { type: 'structure' }): MembersWriter {
  // Nested structures' writers are built when first written (`elementWriter`), so a shape that
  // contains itself is no loop.
  const plans = Object.entries(shape.members).map(([member, ref]) => memberPlan(model, member, ref)).filter((p): p is MemberPlan => p !== undefined);
  const writers: ElementWriter[] = [];
  let body = 'let xml = "";\nlet v;\n';
  for (const plan of plans) {
    body += `v = obj[${JSON.stringify(plan.member)}];\nif (v !== undefined && v !== null) xml += `;
    if ('write' in plan) {
      body += `writers[${writers.length}](v);\n`;
      writers.push(plan.write);
      continue;
    }
    const text = plan.text === 'timestamp' ? 'timestamp(v)' : plan.text === 'boolean' ? '(v ? "true" : "false")' : 'escapeXml(String(v))';
    body += `${JSON.stringify(`<${plan.name}>`)} + ${text} + ${JSON.stringify(`</${plan.name}>`)};\n`;
  }
  body += 'return xml;';
  try {
    // eslint-disable-next-line no-new-func
    return new Function('escapeXml', 'timestamp', 'writers', `return function writeMembers(obj) {\n${body}\n};`)(escapeXml, timestampText, writers) as MembersWriter;
  } catch {
    // Code generation refused (`node --disallow-code-generation-from-strings`): the same writes in a loop.
    const written = plans.map((p) => ('write' in p ? { member: p.member, write: p.write } : { member: p.member, write: scalarWriter(p.name, p.text) }));
    return (obj) => {
      let xml = '';
      for (const { member, write } of written) {
        const v = obj[member];
        if (v !== undefined && v !== null) xml += write(v);
      }
      return xml;
    };
  }
}

function scalarWriter(name: string, text: 'string' | 'timestamp' | 'boolean'): ElementWriter {
  const open = `<${name}>`;
  const close = `</${name}>`;
  if (text === 'timestamp') return (value) => `${open}${timestampText(value)}${close}`;
  if (text === 'boolean') return (value) => `${open}${value ? 'true' : 'false'}${close}`;
  return (value) => `${open}${escapeXml(String(value))}${close}`;
}

/** A timestamp member's text, from a `Date`, epoch milliseconds or a date string. Digits and punctuation: nothing to escape. */
function timestampText(value: unknown): string {
  return formatIsoTimestamp(value instanceof Date ? value : new Date(value as string | number));
}

/**
 * The writer of `ref`'s values as elements named `name`. Nested structures compile their members
 * writer when first written (`membersWriter`), not here, so a shape that contains itself is no loop.
 */
function elementWriter(model: ServiceModel, ref: MemberModel, name: string): ElementWriter {
  const shape = model.shapes[ref.shape];
  if (!shape) return () => '';
  const open = `<${name}>`;
  const close = `</${name}>`;
  switch (shape.type) {
    case 'structure': {
      // Built on first use (see above), then kept: a page writes this structure once a row.
      let members: MembersWriter | undefined;
      return (value) => open + (members ??= membersWriter(model, shape))(value as Record<string, unknown>) + close;
    }
    case 'list': {
      const flattened = shape.flattened || ref.flattened;
      const item = elementWriter(model, shape.member, flattened ? name : (shape.member.locationName ?? 'member'));
      return (value) => {
        let xml = '';
        for (const v of value as unknown[]) xml += item(v);
        return flattened ? xml : `${open}${xml}${close}`;
      };
    }
    case 'map': {
      const key = elementWriter(model, shape.key, shape.key.locationName ?? 'key');
      const val = elementWriter(model, shape.value, shape.value.locationName ?? 'value');
      return (value) => {
        const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
        let xml = '';
        for (const [k, v] of entries) xml += `<entry>${key(k)}${val(v)}</entry>`;
        return `${open}${xml}${close}`;
      };
    }
    case 'timestamp':
    case 'boolean':
      return scalarWriter(name, shape.type);
    case 'blob':
      return (value) => `${open}${escapeXml(Buffer.from(value as Uint8Array).toString('base64'))}${close}`;
    case 'string':
      if (URL_ENCODED_SHAPES.has(ref.shape)) return (value) => `${open}${escapeXml(encodeURIComponent(String(value)))}${close}`;
      return scalarWriter(name, 'string');
    default:
      return scalarWriter(name, 'string');
  }
}

/** ISO 8601 in UTC as AWS writes it: `2024-01-02T03:04:05Z`, with milliseconds only when non-zero. */
export function formatIsoTimestamp(d: Date): string {
  const t = d.getTime();
  // The calendar arithmetic below (a listing writes one or two dates a row, and `toISOString`
  // took more than twice as long) covers years 0 to 9999; other years (`+010000-…`) and invalid
  // dates (a RangeError) are left to `toISOString`.
  if (t >= MIN_FOUR_DIGIT_YEAR && t < MAX_FOUR_DIGIT_YEAR) {
    // The time written last is often the next one too: a policy never updated lists its
    // CreateDate again as its UpdateDate.
    if (t !== lastTime) {
      lastText = formatFourDigitYear(t);
      lastTime = t;
    }
    return lastText;
  }
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

let lastTime = Number.NaN;
let lastText = '';

const DAY_MS = 86_400_000;
// 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z (Date.UTC would read year 0 as 1900).
const MIN_FOUR_DIGIT_YEAR = -62_167_219_200_000;
const MAX_FOUR_DIGIT_YEAR = 253_402_300_800_000;
// The character codes of 0–99's two digits.
const ZERO = 48;
const TENS = Array.from({ length: 100 }, (_, i) => ZERO + Math.floor(i / 10));
const UNITS = Array.from({ length: 100 }, (_, i) => ZERO + (i % 10));
const [DASH, COLON, DOT, LETTER_T, LETTER_Z] = ['-', ':', '.', 'T', 'Z'].map((c) => c.charCodeAt(0)) as [number, number, number, number, number];

/** `t` (epoch ms of a year 0–9999) as `formatIsoTimestamp` writes it. */
function formatFourDigitYear(t: number): string {
  // Days since 1970 to the proleptic Gregorian year, month and day (H. Hinnant's
  // `civil_from_days`: eras of 400 years, years starting on 1 March so the leap day comes last).
  // `| 0`: the time of day and the day numbers of years 0–9999 are int32s, and V8 then divides and
  // takes remainders as integers (on doubles, `%` is a call to C's fmod): a third of this function.
  const days = Math.floor(t / DAY_MS);
  let rest = (t - days * DAY_MS) | 0;
  const z = (days + 719_468) | 0;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const m = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * m + 2) / 5) + 1;
  const month = m < 10 ? m + 3 : m - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  const century = Math.floor(year / 100);
  const yy = year % 100;
  // One string from its character codes: a template of a dozen short pieces allocated a string per
  // piece joined, which cost more than the arithmetic (a listing writes a timestamp or two a row).
  if (millis === 0) {
    return String.fromCharCode(TENS[century]!, UNITS[century]!, TENS[yy]!, UNITS[yy]!, DASH, TENS[month]!, UNITS[month]!, DASH, TENS[day]!, UNITS[day]!, LETTER_T,
      TENS[hours]!, UNITS[hours]!, COLON, TENS[minutes]!, UNITS[minutes]!, COLON, TENS[seconds]!, UNITS[seconds]!, LETTER_Z);
  }
  const ms2 = millis % 100;
  return String.fromCharCode(TENS[century]!, UNITS[century]!, TENS[yy]!, UNITS[yy]!, DASH, TENS[month]!, UNITS[month]!, DASH, TENS[day]!, UNITS[day]!, LETTER_T,
    TENS[hours]!, UNITS[hours]!, COLON, TENS[minutes]!, UNITS[minutes]!, COLON, TENS[seconds]!, UNITS[seconds]!, DOT, ZERO + (millis - ms2) / 100, TENS[ms2]!, UNITS[ms2]!, LETTER_Z);
}
