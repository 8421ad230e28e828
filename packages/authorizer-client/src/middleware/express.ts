/**
 * Express middleware: asks the authorizer about each request before the route runs; a refused
 * request is answered with AWS's error, an allowed one carries its answer in `res.locals.castellan`.
 *
 * @module
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { forwardedFromNode, refusalOf, type RequestDescription } from '../forwarded.js';
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
 * @example
 * ```ts
 * app.get('/reports/:id', castellanExpress({ authorizer, describe: () => ({ authorizations: [{ action: 'reports:Get', resource: '*' }] }) }), handler);
 * ```
 */
export function castellanExpress(options: ExpressAuthorizationOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const described = await options.describe(req);
      // `originalUrl`: the target as received, before any router mounted the request elsewhere.
      const answer = await options.authorizer.authorize({
        ...described,
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
