/**
 * Request headers as Node gives them, and the one value of a header sent once.
 *
 * @module
 */

/** Headers by lower-case name (Node's `IncomingHttpHeaders` fits). */
export type Headers = Record<string, string | string[] | undefined>;

/** A header's value; of a header sent more than once, the first. */
export const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
