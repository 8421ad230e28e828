// Unique ids of AWS's shape for seeded rows: deterministic and collision-free.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` + 17 base32 characters encoding the counter `n`. */
export function seededId(prefix, n) {
  let s = '';
  for (let v = n; s.length < 17; v = Math.floor(v / 32)) s = BASE32[v % 32] + s;
  return `${prefix}${s}`;
}
