import { RequestEntityTooLargeError } from '../domain/errors.js';

/** The default request body limit: IAM's largest inputs (policy documents, URL-encoded) fit well within it. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Reads a request body, refusing more than `maxBytes` (by Content-Length or while streaming). */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new RequestEntityTooLargeError(`Request body is larger than the ${maxBytes} bytes this server accepts.`);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
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
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
