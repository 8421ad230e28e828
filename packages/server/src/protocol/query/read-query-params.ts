/**
 * Reads a Query-protocol request's parameters: the URL query string (GET, presigned URLs) merged
 * with a form-encoded body (POST). Form decoding: `+` is a space, `%XX` escapes are UTF-8.
 * The first occurrence of a name wins, body after query.
 */
export function readQueryParams(query: string, body: Uint8Array, contentType: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  addForm(params, query);
  if (body.length > 0 && (!contentType || contentType.toLowerCase().startsWith('application/x-www-form-urlencoded'))) {
    addForm(params, new TextDecoder().decode(body));
  }
  return params;
}

function addForm(params: Map<string, string>, text: string): void {
  if (!text) return;
  for (const [k, v] of new URLSearchParams(text)) {
    if (!params.has(k)) params.set(k, v);
  }
}
