/** One decoder for every request: building a `TextDecoder` per call costs more than decoding a small body. */
const UTF8 = new TextDecoder();

/**
 * Reads a Query-protocol request's parameters: the URL query string (GET, presigned URLs) merged
 * with a form-encoded body (POST). Form decoding: `+` is a space, `%XX` escapes are UTF-8 (the same
 * decoding the SigV4 canonical query uses, so a value means the same to the signature and here).
 * Query parameters come before body parameters. Within the body (whose bytes the signature covers)
 * the first occurrence of a name wins. Within the query string, SigV4 signs the parameters sorted,
 * so their order is not signed: a name given twice there takes its smallest value, whatever the order,
 * and reordering a presigned URL cannot change what is read.
 */
export function readQueryParams(query: string, body: Uint8Array, contentType: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  if (query) {
    for (const [k, v] of new URLSearchParams(query)) {
      const seen = params.get(k);
      if (seen === undefined || v < seen) params.set(k, v);
    }
  }
  if (body.length > 0 && (!contentType || contentType.toLowerCase().startsWith('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(UTF8.decode(body))) {
      if (!params.has(k)) params.set(k, v);
    }
  }
  return params;
}
