/**
 * Wildcard matching for actions, StringLike and ARNs without building RegExps per request.
 * A pattern is a list of tokens: literal strings, {@link STAR} (`*`) and {@link QMARK} (`?`).
 */
import { isVariable, type TemplatePart, type VariableRef } from '../parse/policy-variables.js';

/** Any run of characters (possibly empty). */
export const STAR = 0;
/** Exactly one character. */
export const QMARK = 1;
/** One token of a resolved pattern. */
export type GlobToken = string | typeof STAR | typeof QMARK;
/** A pattern token that may still hold a variable to resolve per request. */
export type PatternToken = GlobToken | VariableRef;

/** Splits literal template text into wildcard tokens; escaped parts (`${*}`) stay literal. */
export function tokenize(parts: readonly TemplatePart[], wildcards: boolean, lower = false): PatternToken[] {
  const out: PatternToken[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) out.push(lit);
    lit = '';
  };
  for (const part of parts) {
    if (isVariable(part)) {
      flush();
      out.push(part);
      continue;
    }
    const text = lower ? part.text.toLowerCase() : part.text;
    if (part.escaped || !wildcards) {
      lit += text;
      continue;
    }
    for (const ch of text) {
      if (ch === '*') {
        flush();
        // Consecutive stars are one star.
        if (out[out.length - 1] !== STAR) out.push(STAR);
      } else if (ch === '?') {
        flush();
        out.push(QMARK);
      } else lit += ch;
    }
  }
  flush();
  return out;
}

/**
 * Matches `text[start, end)` against resolved tokens. Linear-time backtracking on the last star.
 */
export function globMatch(tokens: readonly GlobToken[], text: string, start = 0, end = text.length): boolean {
  const n = tokens.length;
  let ti = 0;
  let pi = start;
  let starTi = -1;
  let starPi = -1;
  for (;;) {
    if (ti < n) {
      const tok = tokens[ti]!;
      if (tok === STAR) {
        if (ti === n - 1) return true;
        starTi = ti;
        starPi = pi;
        ti++;
        continue;
      }
      if (tok === QMARK) {
        if (pi < end) {
          // A surrogate pair is one character to `?`.
          const c = text.charCodeAt(pi);
          pi += c >= 0xd800 && c <= 0xdbff && pi + 1 < end ? 2 : 1;
          ti++;
          continue;
        }
      } else if (pi + tok.length <= end && text.startsWith(tok, pi)) {
        pi += tok.length;
        ti++;
        continue;
      }
    } else if (pi === end) return true;
    if (starTi < 0 || starPi >= end) return false;
    starPi++;
    pi = starPi;
    ti = starTi + 1;
  }
}

/** True when the tokens are one literal (no wildcard, no variable). */
export function literalOf(tokens: readonly PatternToken[]): string | undefined {
  if (tokens.length === 0) return '';
  if (tokens.length === 1 && typeof tokens[0] === 'string') return tokens[0];
  return undefined;
}
