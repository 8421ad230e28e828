/**
 * Fastify hook: add it as `preHandler` (for a route or the instance). A refused request is answered
 * with AWS's error; an allowed one carries its answer as `request.castellan`.
 *
 * @module
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { forwardedFromNode, receivedBodySha256, refusalOf, type RequestDescription } from '../forwarded.js';
import type { AuthorizationAnswer, RequestAuthorizer } from '../types.js';

/** Settings of {@link castellanFastify}. */
export interface FastifyAuthorizationOptions {
  authorizer: RequestAuthorizer;
  describe(request: FastifyRequest): RequestDescription | Promise<RequestDescription>;
  /** Default: `request.ip`. */
  sourceIp?(request: FastifyRequest): string;
  /** Default: AWS JSON `{ __type, message }`. */
  onRefused?(request: FastifyRequest, reply: FastifyReply, refusal: { status: number; code: string; message: string }, answer: AuthorizationAnswer): Promise<void> | void;
}

/**
 * A request that declares no `x-amz-content-sha256` (curl, the AWS SDKs of services other than S3)
 * is verified with the hash of its body: none, or the body a content-type parser kept as a Buffer or
 * string; a body parsed otherwise (JSON) cannot be verified unless `describe` gives `bodySha256`.
 *
 * @example
 * ```ts
 * fastify.get('/reports/:id', { preHandler: castellanFastify({ authorizer, describe: () => ({ authorizations: [{ action: 'reports:Get', resource: '*' }] }) }) }, handler);
 * ```
 */
export function castellanFastify(options: FastifyAuthorizationOptions): preHandlerAsyncHookHandler {
  return async function (request: FastifyRequest, reply: FastifyReply) {
    const described = await options.describe(request);
    // A body parsed as bytes (a `parseAs: 'buffer'` or `'string'` content-type parser) is hashed.
    const body = Buffer.isBuffer(request.body) || typeof request.body === 'string' ? request.body : undefined;
    const bodySha256 = described.bodySha256 ?? receivedBodySha256(request.raw.headers, body);
    const answer = await options.authorizer.authorize({
      ...described,
      ...(bodySha256 ? { bodySha256 } : {}),
      request: forwardedFromNode(request.raw),
      sourceIp: options.sourceIp?.(request) ?? request.ip,
      secureTransport: request.protocol === 'https',
    });
    const refusal = refusalOf(answer);
    if (refusal) {
      if (options.onRefused) await options.onRefused(request, reply, refusal, answer);
      else await reply.code(refusal.status).send({ __type: refusal.code, message: refusal.message });
      return;
    }
    (request as FastifyRequest & { castellan?: AuthorizationAnswer }).castellan = answer;
  };
}
