/**
 * Express middleware: asks the authorizer about each request before the route runs; a refused
 * request is answered with AWS's error, an allowed one carries its answer in `res.locals.castellan`.
 *
 * @module
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { forwardedFromNode, receivedBodySha256, refusalOf, type RequestDescription } from '../forwarded.js';
import type { AuthorizationAnswer, RequestAuthorizer } from '../types.js';

/** Settings of {@link castellanExpress}. */
export interface ExpressAuthorizationOptions {
  authorizer: RequestAuthorizer;
  describe(req: Request): RequestDescription | Promise<RequestDescription>;
  /** Default: the socket's remote address. */
  sourceIp?(req: Request): string;
  /** Default: AWS JSON `{ __type, message }`. */
  onRefused?(req: Request, res: Response, refusal: { status: number; code: string; message: string }, answer: AuthorizationAnswer): void;
}

/**
 * A request that declares no `x-amz-content-sha256` (curl, the AWS SDKs of services other than S3)
 * is verified with the hash of its body: none, or the bytes `express.raw()` read before this
 * middleware; a body parsed otherwise cannot be verified unless `describe` gives `bodySha256`.
 *
 * @example
 * ```ts
 * app.get('/reports/:id', castellanExpress({ authorizer, describe: () => ({ authorizations: [{ action: 'reports:Get', resource: '*' }] }) }), handler);
 * ```
 */
export function castellanExpress(options: ExpressAuthorizationOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const described = await options.describe(req);
      // A body read raw before this middleware (`express.raw()`) is hashed; a parsed one is not bytes any more.
      const bodySha256 = described.bodySha256 ?? receivedBodySha256(req.headers, Buffer.isBuffer(req.body) ? req.body : undefined);
      // `originalUrl`: the target as received, before any router mounted the request elsewhere.
      const answer = await options.authorizer.authorize({
        ...described,
        ...(bodySha256 ? { bodySha256 } : {}),
        request: forwardedFromNode({ method: req.method, url: req.originalUrl, headers: req.headers }),
        sourceIp: options.sourceIp?.(req) ?? req.socket.remoteAddress ?? '0.0.0.0',
        secureTransport: req.secure,
      });
      const refusal = refusalOf(answer);
      if (refusal) {
        if (options.onRefused) options.onRefused(req, res, refusal, answer);
        else res.status(refusal.status).json({ __type: refusal.code, message: refusal.message });
        return;
      }
      res.locals['castellan'] = answer;
      next();
    })().catch(next);
  };
}
