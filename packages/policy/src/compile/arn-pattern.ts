/**
 * ARN patterns for Resource/NotResource and the Arn* condition operators: each of the first five
 * colon-separated parts is matched on its own (a wildcard never crosses a colon there); the last
 * part of the pattern matches the rest of the ARN, colons included.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 *
 * In the Resource/NotResource elements (not in Arn* conditions), AWS adds: "If the * wildcard is
 * the last character of a resource ARN segment, it can expand to match beyond the colon
 * boundaries", so `arn:aws:ec2:*:instance/*` covers `arn:aws:ec2:us-east-1:123456789012:instance/i-1`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
 */
import type { TemplatePart } from '../parse/policy-variables.js';
import { isVariable } from '../parse/policy-variables.js';
import { globMatch, QMARK, STAR, tokenize, type GlobToken, type PatternToken } from './glob.js';
import { resolveTokens } from './template.js';
import type { RequestView } from './request-view.js';

/** A compiled ARN pattern. */
export interface ArnPattern {
  readonly segments: readonly (readonly PatternToken[])[];
  readonly hasVariables: boolean;
  /** The pattern is `*`: matches everything. */
  readonly matchesAll: boolean;
  /** Literal text every matching ARN starts with (up to the first wildcard or variable): a cheap first test. */
  readonly prefix: string;
  /**
   * The whole pattern as an anchored RegExp when it has no variable: V8 runs these faster than
   * any hand-written loop (its string builtins such as `startsWith` cost more than a compiled
   * regexp here). `*` is `[^:]*` in the first five parts and `.*` in the last; `?` likewise,
   * in Unicode mode so that a surrogate pair is one character, as in {@link globMatch}.
   */
  readonly regex: RegExp | undefined;
  /** Some segment before the last ends with `*`, and that star may cross colons (Resource elements). */
  readonly trailingStarExpands: boolean;
}

/** Bound on the per-pattern cache of RegExps built for resolved variable patterns. */
const RESOLVED_REGEX_LIMIT = 256;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The anchored RegExp source of resolved segments. `*` is `[^:]*` in the first five parts and `.*`
 * in the last, or also at the end of an earlier part when `expand` is set.
 */
function regexSource(tokenSegments: readonly (readonly GlobToken[])[], expand: boolean): { source: string; unicode: boolean } {
  const last = tokenSegments.length - 1;
  let unicode = false;
  const source = tokenSegments
    .map((seg, i) =>
      seg
        .map((t, j) => {
          if (t === STAR) return i === last || (expand && j === seg.length - 1) ? '.*' : '[^:]*';
          if (t === QMARK) {
            unicode = true;
            return i === last ? '.' : '[^:]';
          }
          return escapeRegex(t as string);
        })
        .join(''),
    )
    .join(':');
  return { source, unicode };
}

/**
 * Splits template parts on colons outside variables, into at most six segments. `resourceElement`:
 * the pattern comes from Resource/NotResource, where a segment's trailing `*` may cross colons.
 */
export function compileArnPattern(parts: readonly TemplatePart[], resourceElement = false): ArnPattern {
  const segments: TemplatePart[][] = [[]];
  let hasVariables = false;
  for (const part of parts) {
    const current = (): TemplatePart[] => segments[segments.length - 1]!;
    if (isVariable(part)) {
      hasVariables = true;
      current().push(part);
      continue;
    }
    if (part.escaped) {
      current().push(part);
      continue;
    }
    let text = part.text;
    while (segments.length < 6) {
      const colon = text.indexOf(':');
      if (colon < 0) break;
      current().push({ text: text.slice(0, colon), escaped: false });
      segments.push([]);
      text = text.slice(colon + 1);
    }
    current().push({ text, escaped: false });
  }
  const tokenSegments = segments.map((s) => tokenize(s, true));
  const only = tokenSegments.length === 1 ? tokenSegments[0]! : undefined;
  let prefix = '';
  outer: for (let i = 0; i < tokenSegments.length; i++) {
    for (const t of tokenSegments[i]!) {
      if (typeof t !== 'string') break outer;
      prefix += t;
    }
    if (i < tokenSegments.length - 1) prefix += ':';
  }
  const trailingStarExpands =
    resourceElement && tokenSegments.slice(0, -1).some((seg) => seg.length > 0 && seg[seg.length - 1] === STAR);
  let regex: RegExp | undefined;
  if (!hasVariables) {
    const { source, unicode } = regexSource(tokenSegments as GlobToken[][], trailingStarExpands);
    regex = new RegExp(`^${source}$`, unicode ? 'su' : 's');
  }
  return {
    segments: tokenSegments,
    hasVariables,
    matchesAll: !!only && only.length === 1 && only[0] === STAR,
    prefix,
    regex,
    trailingStarExpands,
  };
}

/** True when `arn` matches the pattern; undefined when a variable in it cannot be resolved. */
export function matchArnPattern(pattern: ArnPattern, arn: string, view: RequestView): boolean | undefined {
  if (pattern.matchesAll) return true;
  if (pattern.regex) return pattern.regex.test(arn);
  // A pattern with variables: resolve every variable first (an unresolvable one decides, whatever
  // the literal parts say), then match part by part.
  const segs: (readonly GlobToken[])[] = [];
  for (const seg of pattern.segments) {
    const tokens = resolveTokens(seg, true, view);
    if (tokens === undefined) return undefined;
    segs.push(tokens);
  }
  if (pattern.trailingStarExpands) return resolvedRegex(pattern, segs).test(arn);
  const last = segs.length - 1;
  let start = 0;
  for (let i = 0; i <= last; i++) {
    let end: number;
    if (i === last) end = arn.length;
    else {
      end = arn.indexOf(':', start);
      if (end < 0) return false;
    }
    if (!globMatch(segs[i]!, arn, start, end)) return false;
    start = end + 1;
  }
  return true;
}

const resolvedRegexes = new WeakMap<ArnPattern, Map<string, RegExp>>();

/** The RegExp of a variable pattern once resolved (cached per pattern: resolved values repeat). */
function resolvedRegex(pattern: ArnPattern, segs: readonly (readonly GlobToken[])[]): RegExp {
  const { source, unicode } = regexSource(segs, true);
  let cache = resolvedRegexes.get(pattern);
  if (!cache) resolvedRegexes.set(pattern, (cache = new Map()));
  let re = cache.get(source);
  if (!re) {
    if (cache.size >= RESOLVED_REGEX_LIMIT) cache.clear();
    re = new RegExp(`^${source}$`, unicode ? 'su' : 's');
    cache.set(source, re);
  }
  return re;
}
