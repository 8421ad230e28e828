/**
 * Hono middleware: asks the authorizer about each request before the route runs; a refused
 * request is answered with AWS's error, an allowed one carries its answer as `c.get('castellan')`.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono';
import { forwardedFromFetch, hasBody, receivedBodySha256, refusalOf, type RequestDescription } from '../forwarded.js';
import type { AuthorizationAnswer, RequestAuthorizer } from '../types.js';

/** Settings of {@link castellanHono}. */
export interface HonoAuthorizationOptions {
  authorizer: RequestAuthorizer;
  /** What the request asks for (actions, resources, the data event…). */
  describe(c: Context): RequestDescription | Promise<RequestDescription>;
  /** The client's address. Default: the `x-forwarded-for`-free remote address `@hono/node-server` gives, else `0.0.0.0`. */
  sourceIp?(c: Context): string;
  /** Answers a refused request. Default: AWS JSON `{ __type, message }`. */
  onRefused?(c: Context, refusal: { status: number; code: string; message: string }, answer: AuthorizationAnswer): Response | Promise<Response>;
  /**
   * The largest body read to hash it (a signed request declaring no `x-amz-content-sha256`); a
   * larger one is answered 413 before it is read further. Default is 102400 bytes (100 kB,
   * Express's `express.raw()` default).
   */
  maxBodyBytes?: number;
}

/** Express's `express.raw()` default limit. */
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024;

/** A body over the limit: answered 413 as the frameworks' own body limits answer it. */
class BodyTooLarge extends Error {}

/** The body, up to `limit` bytes; throws {@link BodyTooLarge} past it, without reading the rest. */
async function readCapped(c: Context, headers: Record<string, string>, limit: number): Promise<Uint8Array> {
  const declared = headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw new BodyTooLarge();
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge();
    }
    parts.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.byteLength;
  }
  // Hono answers the route's `c.req.arrayBuffer()` / `text()` / `json()` from this cache.
  (c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> }).arrayBuffer = Promise.resolve(body.buffer);
  return body;
}

/** Whether the request carries a signature (header or presigned): only then is its body worth hashing. */
function isSigned(c: Context, headers: Record<string, string>): boolean {
  return headers['authorization'] !== undefined || new URL(c.req.url).searchParams.has('X-Amz-Signature');
}

/**
 * A signed request that declares no `x-amz-content-sha256` (curl, the AWS SDKs of services other
 * than S3) is verified with the hash of its body, which the middleware reads for that, up to
 * `maxBodyBytes` (Hono keeps it for the route). An unsigned request's body is never read here: it
 * is refused without a signature anyway.
 *
 * @example
 * ```ts
 * app.use('/reports/*', castellanHono({ authorizer, describe: (c) => ({ authorizations: [{ action: 'reports:Get', resource: '*' }] }) }));
 * app.get('/reports/:id', (c) => c.json({ caller: c.get('castellan').principal.arn }));
 * ```
 */
export function castellanHono(options: HonoAuthorizationOptions): MiddlewareHandler {
  return async (c, next) => {
    const described = await options.describe(c);
    const headers = Object.fromEntries(c.req.raw.headers);
    // Without a declared hash, a signed request's body is read (capped) to hash it; Hono keeps it, so the route reads it again.
    let body: Uint8Array | undefined;
    if (described.bodySha256 === undefined && headers['x-amz-content-sha256'] === undefined && hasBody(headers) && isSigned(c, headers)) {
      try {
        body = await readCapped(c, headers, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      } catch (err) {
        if (!(err instanceof BodyTooLarge)) throw err;
        return c.json({ __type: 'RequestEntityTooLarge', message: 'The request body is larger than this service reads to verify its signature.' }, 413);
      }
    }
    const bodySha256 = described.bodySha256 ?? receivedBodySha256(headers, body);
    const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } } } | undefined)?.incoming;
    const answer = await options.authorizer.authorize({
      ...described,
      ...(bodySha256 ? { bodySha256 } : {}),
      request: forwardedFromFetch(c.req.raw),
      sourceIp: options.sourceIp?.(c) ?? incoming?.socket?.remoteAddress ?? '0.0.0.0',
      secureTransport: new URL(c.req.url).protocol === 'https:' || incoming?.socket?.encrypted === true,
    });
    const refusal = refusalOf(answer);
    if (refusal) {
      if (options.onRefused) return options.onRefused(c, refusal, answer);
      return c.json({ __type: refusal.code, message: refusal.message }, refusal.status as 400 | 403);
    }
    c.set('castellan' as never, answer as never);
    await next();
  };
}
