/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`) in a 2012-10-17
 * policy's Resource, NotResource and Condition values.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */

/** A `${key}` or `${key, 'default'}` reference. Keys are case-insensitive, defaults are not. */
export interface VariableRef {
  readonly key: string;
  readonly keyLower: string;
  readonly defaultValue?: string;
}

/** Literal text (in which `*` and `?` keep their wildcard meaning where the operator has one). */
export interface LiteralPart {
  readonly text: string;
  /** True for `${*}`, `${?}`, `${$}`: the character is a literal, never a wildcard. */
  readonly escaped: boolean;
}

/** A value split into literal text and variable references. */
export type TemplatePart = LiteralPart | VariableRef;

/** The result of splitting a value into parts. */
export type TemplateParse = { ok: true; parts: TemplatePart[]; hasVariables: boolean } | { ok: false; message: string };

// A condition key, whose tag-key part may hold any character of an IAM tag key (`Cost Center`,
// `team@org`): https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;

/**
 * Splits `text` into literal parts and variable references. With `enabled` false (a policy
 * without `"Version": "2012-10-17"`) the whole text is one literal, as AWS does.
 */
export function parseTemplate(text: string, enabled: boolean): TemplateParse {
  if (!enabled || !text.includes('${')) return { ok: true, parts: [{ text, escaped: false }], hasVariables: false };
  const parts: TemplatePart[] = [];
  let hasVariables = false;
  let literal = '';
  let i = 0;
  const flush = (): void => {
    if (literal) parts.push({ text: literal, escaped: false });
    literal = '';
  };
  while (i < text.length) {
    if (text[i] !== '$' || text[i + 1] !== '{') {
      literal += text[i];
      i++;
      continue;
    }
    // Find the closing brace, skipping over a quoted default value (which may contain `}`).
    let j = i + 2;
    let inQuote = false;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inQuote) {
        if (c === "'") {
          if (text[j + 1] === "'") j++;
          else inQuote = false;
        }
      } else if (c === "'") inQuote = true;
      else if (c === '}') break;
    }
    if (j >= text.length) return { ok: false, message: `unterminated policy variable in \`${text}\`` };
    const body = text.slice(i + 2, j).trim();
    i = j + 1;
    if (body === '*' || body === '?' || body === '$') {
      flush();
      parts.push({ text: body, escaped: true });
      continue;
    }
    const comma = body.indexOf(',');
    const key = (comma < 0 ? body : body.slice(0, comma)).trim();
    if (!KEY.test(key) || !key.includes(':')) return { ok: false, message: `invalid policy variable \`\${${body}}\`` };
    let defaultValue: string | undefined;
    if (comma >= 0) {
      const rest = body.slice(comma + 1).trim();
      if (rest.length < 2 || !rest.startsWith("'") || !rest.endsWith("'")) {
        return { ok: false, message: `invalid default value in policy variable \`\${${body}}\`: it must be in single quotes` };
      }
      const inner = rest.slice(1, -1);
      if (/(^|[^'])'([^']|$)/.test(inner.replace(/''/g, ''))) {
        return { ok: false, message: `invalid default value in policy variable \`\${${body}}\`: write a quote as \`''\`` };
      }
      defaultValue = inner.replace(/''/g, "'");
    }
    flush();
    parts.push(defaultValue === undefined ? { key, keyLower: key.toLowerCase() } : { key, keyLower: key.toLowerCase(), defaultValue });
    hasVariables = true;
  }
  flush();
  if (parts.length === 0) parts.push({ text: '', escaped: false });
  return { ok: true, parts, hasVariables };
}

/** True when a template part is a variable reference. */
export function isVariable(part: TemplatePart): part is VariableRef {
  return (part as VariableRef).keyLower !== undefined;
}
