import { RequestEntityTooLargeError } from '../domain/errors.js';

/** The default request body limit: IAM's largest inputs (policy documents, URL-encoded) fit well within it. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The Node request a body can be read from directly (`IncomingMessage`, loosely). */
export interface NodeBodySource {
  readonly method?: string | undefined;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(event: 'data' | 'end' | 'close' | 'error', listener: (...args: never[]) => void): unknown;
  destroy(): unknown;
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
 * than the rest of a cached request's HTTP handling (measured with bench:api). Plain `data`/`end`
 * listeners: `for await` over the stream costs an async iterator and end-of-stream tracking per request.
 */
export function readNodeBody(incoming: NodeBodySource, declaredLength: string | null | undefined, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(declaredLength ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLargeError(maxBytes));
  if (incoming.method === 'GET' || incoming.method === 'HEAD') return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const onData = (chunk: Uint8Array) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        settle();
        reject(tooLargeError(maxBytes));
        // Stops reading; the rest of the body is not buffered. Not from inside the parser's `data`:
        // a request whose last bytes are already in hand completes first and still gets its 413
        // (destroying an incomplete one cuts the connection), as when `for await` read the body.
        setImmediate(() => incoming.destroy());
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      settle();
      resolve(concat(chunks, total));
    };
    const onError = (err: Error) => {
      settle();
      reject(err);
    };
    const onClose = () => onError(new Error('The request closed before its body ended.'));
    const settle = () => {
      incoming.removeListener('data', onData);
      incoming.removeListener('end', onEnd);
      incoming.removeListener('error', onError);
      incoming.removeListener('close', onClose);
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
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
