/**
 * Building the {@link ForwardedRequest} from what HTTP frameworks hand a service, and what a
 * refused request answers by default.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { AuthorizationAnswer, AuthorizationQuestion, ForwardedRequest } from './types.js';

/** A request from Node's `http` (Express and Fastify hand this one on). */
export interface NodeRequestLike {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string | undefined; encrypted?: boolean } | undefined;
}

/** The request as received, from Node's `IncomingMessage`: the target as sent, headers as sent. */
export function forwardedFromNode(req: NodeRequestLike): ForwardedRequest {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return { method: req.method ?? 'GET', path: q < 0 ? target : target.slice(0, q), query: q < 0 ? '' : target.slice(q + 1), headers };
}

/** The request from a Fetch API `Request` (Hono): the URL's path and query as the URL parser keeps them. */
export function forwardedFromFetch(req: Request): ForwardedRequest {
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  req.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (!headers['host']) headers['host'] = url.host;
  return { method: req.method, path: url.pathname, query: url.search.slice(1), headers };
}

/** The SHA-256 of no bytes: what a request without a body signs as its payload. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The hash of the body the service received, for a request that declares none (no
 * `x-amz-content-sha256`: curl, and the AWS SDKs of every service but S3, sign the body's hash without
 * sending it, so Castellan cannot verify the signature without it). Undefined when the request declares
 * its own hash, or carries a body the framework did not keep as bytes (Castellan then answers
 * `SignatureDoesNotMatch` naming the missing hash: read the body raw, or give `bodySha256`).
 */
export function receivedBodySha256(headers: Record<string, string | string[] | undefined>, body?: Uint8Array | string): string | undefined {
  if (headers['x-amz-content-sha256'] !== undefined) return undefined;
  if (body !== undefined) return createHash('sha256').update(body).digest('hex');
  const length = headers['content-length'];
  return headers['transfer-encoding'] === undefined && (length === undefined || length === '0') ? EMPTY_SHA256 : undefined;
}

/** Whether a request carries a body (a `Content-Length` above 0, or chunked framing). */
export function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** What the service describes of a request: everything but the request itself and the transport. */
export type RequestDescription = Omit<AuthorizationQuestion, 'request' | 'sourceIp' | 'secureTransport'>;

/** Authentication refusals answered 400 (a malformed or doubly signed request); the others are 403. */
const BAD_REQUEST_CODES: ReadonlySet<string> = new Set(['IncompleteSignature', 'MissingAuthenticationToken', 'InvalidParameterCombination']);

/** The HTTP status, AWS error code and message of a request refused by an answer; undefined when allowed. */
export function refusalOf(answer: AuthorizationAnswer): { status: number; code: string; message: string } | undefined {
  if (!answer.authenticated) {
    const status = BAD_REQUEST_CODES.has(answer.error.code) ? 400 : 403;
    return { status, code: answer.error.code, message: answer.error.message };
  }
  if (answer.allowed) return unverifiableBody(answer);
  const denied = answer.decisions.find((d) => d.effect !== 'allow');
  return { status: 403, code: 'AccessDenied', message: denied?.message ?? 'Access Denied' };
}

/**
 * A chunk-signed body (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) the service cannot verify: Castellan
 * gives the scope's signing key only to a service of the client's own account or to one the
 * operator made the platform's (`--platform-principals`), and unverified chunks could be anything. Answered as S3 answers what it does not
 * implement, naming what the client can do instead.
 */
export function unverifiableBody(answer: AuthorizationAnswer): { status: number; code: string; message: string } | undefined {
  if (!answer.authenticated || answer.payload.kind !== 'streaming-signed' || answer.streaming?.signingKey !== undefined) return undefined;
  return {
    status: 501,
    code: 'NotImplemented',
    message: "A chunk-signed body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) of another account's client cannot be verified by this service: send the payload's SHA-256 or UNSIGNED-PAYLOAD",
  };
}
