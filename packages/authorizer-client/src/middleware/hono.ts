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
}

/**
 * A request that declares no `x-amz-content-sha256` (curl, the AWS SDKs of services other than S3)
 * is verified with the hash of its body, which the middleware reads for that (Hono keeps it for the
 * route).
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
    // Without a declared hash, the body is read to hash it; Hono keeps it, so the route reads it again.
    const body = described.bodySha256 === undefined && headers['x-amz-content-sha256'] === undefined && hasBody(headers) ? new Uint8Array(await c.req.arrayBuffer()) : undefined;
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
