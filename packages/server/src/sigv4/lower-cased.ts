/**
 * `s.toLowerCase()`, without the call when nothing in `s` would change: only ASCII and no `A`–`Z`.
 * For the HTTP layer's header lookups, whose names are short and nearly always lower case already:
 * V8's `toLowerCase` runs its internationalised builtin even then: under callgrind a GetCallerIdentity's
 * header lookups went from about 2,700 to 1,950 instructions with this scan. Not for long strings taken out of
 * another (the signature, the content type): `charCodeAt` on such a sliced string costs about 50
 * instructions a character, and the scan counted more than `toLowerCase` there
 * (docs/PERFORMANCE.md, "Instruction counts").
 */
export function lowerCased(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // 0x41–0x5a are `A`–`Z`; from 0x80 on, toLowerCase may change a letter outside ASCII.
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return s.toLowerCase();
  }
  return s;
}
