/**
 * `s.toLowerCase()`, without the call when nothing in `s` would change: only ASCII and no `A`–`Z`.
 * V8's `toLowerCase` goes through its internationalised builtin (about 1,500 instructions under
 * callgrind for a short string) even for a string that is already lower case, and the hot path
 * asks it several times per request for header names and the signature, which clients send in
 * lower case.
 */
export function lowerCased(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // 0x41–0x5a are `A`–`Z`; from 0x80 on, toLowerCase may change a letter outside ASCII.
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return s.toLowerCase();
  }
  return s;
}
