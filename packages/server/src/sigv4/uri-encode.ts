/** RFC 3986 percent-encoding as SigV4 requires: everything but `A-Za-z0-9-._~` is escaped, in upper-case hex. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
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
