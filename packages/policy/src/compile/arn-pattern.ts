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
  /** From a Resource/NotResource element: a `*` ending a part may cross colons. */
  readonly resourceElement: boolean;
  /** With {@link trailingStarExpands}, no variable and few wildcards: the RegExp with stars crossing colons. */
  readonly expandedRegex: RegExp | undefined;
  /** With {@link trailingStarExpands}, no variable and many wildcards: its matcher program (see {@link nfaMatch}). */
  readonly program: Int32Array | undefined;
}

/**
 * How much backtracking a RegExp of the pattern may do, at most, for a pattern to run as one. V8's
 * backtracking makes each `.*` (and each further `[^:]*` in one part) multiply the work on a
 * failing match: `*a*a*a*a*b` against a long key took minutes. With two, the worst case stays
 * quadratic in the ARN's length; other patterns run on the linear matchers below.
 */
const REGEX_MAX_RISK = 2;

/** The number of `.*` in the pattern's RegExp, plus the `[^:]*` beyond the first in each earlier part. */
function regexRisk(tokenSegments: readonly (readonly PatternToken[])[], expand: boolean): number {
  const last = tokenSegments.length - 1;
  let risk = 0;
  tokenSegments.forEach((seg, i) => {
    let bounded = 0;
    seg.forEach((t, j) => {
      if (t !== STAR) return;
      if (i === last || (expand && j === seg.length - 1)) risk++;
      else if (++bounded > 1) risk++;
    });
  });
  return risk;
}

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
  let expandedRegex: RegExp | undefined;
  let program: Int32Array | undefined;
  if (!hasVariables) {
    const build = (expand: boolean): RegExp => {
      const { source, unicode } = regexSource(tokenSegments as GlobToken[][], expand);
      return new RegExp(`^${source}$`, unicode ? 'su' : 's');
    };
    if (regexRisk(tokenSegments, false) <= REGEX_MAX_RISK) regex = build(false);
    if (trailingStarExpands) {
      if (regexRisk(tokenSegments, true) <= REGEX_MAX_RISK) expandedRegex = build(true);
      else program = compileProgram(tokenSegments as GlobToken[][]);
    }
  }
  return {
    segments: tokenSegments,
    hasVariables,
    matchesAll: !!only && only.length === 1 && only[0] === STAR,
    prefix,
    regex,
    trailingStarExpands,
    resourceElement,
    expandedRegex,
    program,
  };
}

/** True when `arn` matches the pattern; undefined when a variable in it cannot be resolved. */
export function matchArnPattern(pattern: ArnPattern, arn: string, view: RequestView): boolean | undefined {
  if (pattern.matchesAll) return true;
  let segs = pattern.segments as readonly (readonly GlobToken[])[];
  let expands = pattern.trailingStarExpands;
  if (pattern.hasVariables) {
    // Resolve every variable first (an unresolvable one decides, whatever the literal parts say).
    const resolved: (readonly GlobToken[])[] = [];
    for (const seg of pattern.segments) {
      const tokens = resolveTokens(seg, true, view);
      if (tokens === undefined) return undefined;
      resolved.push(tokens);
    }
    segs = resolved;
    // Whether a part ends with `*` is decided on the resolved text (an empty value may end it).
    expands = pattern.resourceElement && resolved.slice(0, -1).some((seg) => seg[seg.length - 1] === STAR);
  }
  // First each wildcard within its part. A star that may cross colons only adds matches, and only
  // for an ARN with more colons than the pattern has parts: most ARNs are decided here.
  if (pattern.regex ? pattern.regex.test(arn) : matchByParts(segs, arn)) return true;
  if (!expands || !arn.startsWith(pattern.prefix) || !hasColons(arn, segs.length)) return false;
  if (pattern.expandedRegex) return pattern.expandedRegex.test(arn);
  return nfaMatch(pattern.program ?? compileProgram(segs), arn);
}

/** True when `arn` has at least `n` colons. */
function hasColons(arn: string, n: number): boolean {
  let found = 0;
  for (let i = 0; i < arn.length; i++) if (arn.charCodeAt(i) === COLON && ++found >= n) return true;
  return false;
}

/** Part by part: each wildcard stays within its part, so globMatch's linear matching applies. */
function matchByParts(segs: readonly (readonly GlobToken[])[], arn: string): boolean {
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

const ANY_STAR = -1;
const SEG_STAR = -2;
const ANY_CHAR = -3;
const SEG_CHAR = -4;
const COLON = 58;

/**
 * The matcher program of resolved segments of a Resource pattern: code points, and wildcards that
 * may or may not cross a colon (a `*` ending a part crosses, as in {@link regexSource} with `expand`).
 */
function compileProgram(segs: readonly (readonly GlobToken[])[]): Int32Array {
  const out: number[] = [];
  const last = segs.length - 1;
  segs.forEach((seg, i) => {
    if (i > 0) out.push(COLON);
    seg.forEach((t, j) => {
      if (t === STAR) out.push(i === last || j === seg.length - 1 ? ANY_STAR : SEG_STAR);
      else if (t === QMARK) out.push(i === last ? ANY_CHAR : SEG_CHAR);
      else for (const ch of t as string) out.push(ch.codePointAt(0)!);
    });
  });
  return Int32Array.from(out);
}

/** Lets every active star also match nothing. */
function starClosure(program: Int32Array, active: Uint8Array): void {
  for (let p = 0; p < program.length; p++) if (active[p] && (program[p] === ANY_STAR || program[p] === SEG_STAR)) active[p + 1] = 1;
}

/**
 * Runs a program over `text` as a set of states (Thompson's simulation): time proportional to the
 * text's length times the program's, whatever the wildcards, so no policy can make it hang.
 */
function nfaMatch(program: Int32Array, text: string): boolean {
  const m = program.length;
  let cur = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  cur[0] = 1;
  starClosure(program, cur);
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    next.fill(0);
    let alive = false;
    for (let p = 0; p < m; p++) {
      if (!cur[p]) continue;
      const op = program[p]!;
      if (op === ANY_STAR || (op === SEG_STAR && cp !== COLON)) {
        next[p] = 1;
        alive = true;
      } else if (op === cp || op === ANY_CHAR || (op === SEG_CHAR && cp !== COLON)) {
        next[p + 1] = 1;
        alive = true;
      }
    }
    if (!alive) return false;
    starClosure(program, next);
    [cur, next] = [next, cur];
  }
  return cur[m] === 1;
}
