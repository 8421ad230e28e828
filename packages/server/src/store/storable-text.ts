/**
 * Text as both databases store it. PostgreSQL refuses a NUL character in `text`
 * (`invalid byte sequence for encoding "UTF8": 0x00`) where SQLite keeps it, and a lone UTF-16
 * surrogate has no UTF-8 form, so each driver would write its own substitute. Both become U+FFFD
 * (the Unicode replacement character) before they reach either database, so a row reads back the
 * same on both and a hash computed over the text matches what is stored.
 */

/** ES2024's `String.prototype.isWellFormed` (Node 20 has it; the compiled lib is ES2023). */
type WellFormedCheck = string & { isWellFormed(): boolean };

/**
 * `text` with every NUL and lone surrogate replaced by U+FFFD; the same string when there is none.
 *
 * INVARIANT: self-contained (no module-level names), because the audit workers evaluate its
 * source (`workerSource` in `store/sql/audit-append-worker.ts`).
 */
export function storableText(text: string): string {
  // Native checks first (an audit record is a kilobyte of text): well-formed and NUL-free is the rule.
  if ((text as WellFormedCheck).isWellFormed() && !text.includes('\u0000')) return text;
  // NUL, a high surrogate without its low half, or a low surrogate without its high half.
  return text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
