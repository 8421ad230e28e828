import { RequestEntityTooLargeError } from '../domain/errors.js';

/** The default request body limit: IAM's largest inputs (policy documents, URL-encoded) fit well within it. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The Node request a body can be read from directly (`IncomingMessage`, loosely). */
export interface NodeBodySource extends AsyncIterable<Uint8Array> {
  readonly method?: string | undefined;
}

const tooLargeError = (maxBytes: number) => new RequestEntityTooLargeError(`Request body is larger than the ${maxBytes} bytes this server accepts.`);

/** Reads a request body, refusing more than `maxBytes` (by Content-Length or while streaming). */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLargeError(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

/**
 * {@link readBody} straight from Node's request stream, with the same limits. Under the Node
 * listener this skips building a web-standard `Request` and its `ReadableStream`, which cost more
 * than the rest of a cached request's HTTP handling (measured with bench:api).
 */
export async function readNodeBody(incoming: NodeBodySource, declaredLength: string | null, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(declaredLength ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLargeError(maxBytes);
  if (incoming.method === 'GET' || incoming.method === 'HEAD') return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of incoming) {
    total += chunk.byteLength;
    // Leaving the loop stops reading; Node discards the rest of the body.
    if (total > maxBytes) throw tooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
