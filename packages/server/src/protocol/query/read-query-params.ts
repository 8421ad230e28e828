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
    forEachFormPair(query, (k, v) => {
      const seen = params.get(k);
      if (seen === undefined || v < seen) params.set(k, v);
    });
  }
  if (body.length > 0 && (!contentType || contentType.toLowerCase().startsWith('application/x-www-form-urlencoded'))) {
    forEachFormPair(UTF8.decode(body), (k, v) => {
      if (!params.has(k)) params.set(k, v);
    });
  }
  return params;
}

/**
 * Text that form decoding does not leave as it is: an escape, a `+`, a surrogate (`URLSearchParams`
 * replaces a lone one; a pair is left to it too), or a leading `?` (which `URLSearchParams` drops).
 */
const NEEDS_DECODING = /^\?|[%+\ud800-\udfff]/;

/**
 * The name/value pairs of `application/x-www-form-urlencoded` text, in order, exactly as
 * `URLSearchParams` reads them. Text with nothing to decode (`Action=GetCallerIdentity&Version=…`,
 * most calls) is split by hand: the same pairs without `URLSearchParams`' object and iterator.
 */
export function forEachFormPair(text: string, onPair: (name: string, value: string) => void): void {
  if (NEEDS_DECODING.test(text)) {
    for (const [k, v] of new URLSearchParams(text)) onPair(k, v);
    return;
  }
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    // Empty sequences (`a=1&&b=2`, a trailing `&`) are skipped, as the form parser skips them.
    if (end > start) {
      const eq = text.indexOf('=', start);
      if (eq === -1 || eq >= end) onPair(text.slice(start, end), '');
      else onPair(text.slice(start, eq), text.slice(eq + 1, end));
    }
    start = end + 1;
  }
}
