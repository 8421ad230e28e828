/**
 * The matcher of a statement's Action or NotAction list: exact names in a set, wildcard patterns
 * as glob tokens (no RegExp, so a long `*a*a*…` pattern cannot backtrack for ever).
 */
import { globMatch, tokenize, type GlobToken } from './glob.js';

/** True when a lowercased `service:action` name is in the list. */
export type ActionMatcher = (actionLower: string) => boolean;

/** Compiles an Action/NotAction list; `*` matches every action. */
export function compileActions(actions: readonly string[]): ActionMatcher {
  const exact = new Set<string>();
  const patterns: GlobToken[][] = [];
  for (const a of actions) {
    if (a === '*') return () => true;
    if (/[*?]/.test(a)) patterns.push(tokenize([{ text: a, escaped: false }], true, true) as GlobToken[]);
    else exact.add(a.toLowerCase());
  }
  return (action) => {
    if (exact.has(action)) return true;
    for (const p of patterns) if (globMatch(p, action)) return true;
    return false;
  };
}
