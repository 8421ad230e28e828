/**
 * Whether `given` is `expected`, in time that does not depend on where they differ: every character
 * is compared. For secrets, signatures, MACs and tokens, where `===` (which stops at the first
 * difference) would tell a caller who can time it how much of a guess is right. Only the length
 * shows (secrets and signatures have a fixed one). Strings, not Buffers, so the hot paths that
 * compare a signature or a cached secret per request allocate nothing.
 */
export function constantTimeEquals(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}

/** {@link constantTimeEquals} for values that may be absent (a session token): equal when both are absent or both equal. */
export function optionalConstantTimeEquals(given: string | undefined, expected: string | undefined): boolean {
  if (given === undefined || expected === undefined) return given === expected;
  return constantTimeEquals(given, expected);
}
