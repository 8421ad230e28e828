const UNRESERVED = /[A-Za-z0-9\-._~]/;
const HEX = '0123456789ABCDEF';

/**
 * RFC 3986 percent-encoding as SigV4 requires: everything but `A-Za-z0-9-._~` is escaped as UTF-8
 * bytes in upper-case hex. A lone surrogate (possible in a string that never came off the wire) is
 * encoded as U+FFFD, as UTF-8 encoding replaces it, instead of throwing as `encodeURIComponent` does.
 */
export function uriEncode(s: string): string {
  if (/^[A-Za-z0-9\-._~]*$/.test(s)) return s;
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(c) ? c : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/** Decodes percent-escapes, leaving malformed ones as they are (SigV4 canonicalizes, it does not reject). */
export function uriDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%[0-9A-Fa-f]{2}/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}

/**
 * The name/value pairs of a query string, in order, decoded as `application/x-www-form-urlencoded`
 * (the WHATWG URL standard's parser: `+` is a space, `%XX` escapes are UTF-8 bytes, invalid sequences
 * become U+FFFD). The canonical request, the presigned-signature fields and the Query parameter reader
 * (`protocol/query/read-query-params.ts`, via `URLSearchParams`) all decode with this one parser, so a
 * value cannot mean one thing to the signature and another to the operation.
 */
export function queryPairs(query: string): Array<[string, string]> {
  return query ? [...new URLSearchParams(query)] : [];
}
