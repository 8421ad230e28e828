import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { WireAnswer } from '../protocol/protocol-adapter.js';
import type { ApiCallFacts, HeaderLookup } from './api-calls.js';
import { lowerCased } from '../sigv4/lower-cased.js';
import { readNodeBody } from './read-body.js';

/**
 * Serves a request straight from Node's `IncomingMessage`/`ServerResponse` when it is one it
 * takes (an API call), answering false otherwise so the fetch app serves it. Skipping the
 * web-standard `Request`, `URL`, `Headers` and `Response` halves the HTTP layer's CPU per call.
 */
export type NodeApiListener = (req: IncomingMessage, res: ServerResponse) => boolean;

const listeners = new WeakMap<object, NodeApiListener>();

/** Lets `startHttpServer` serve `app`'s API calls through `listener`. */
export function attachNodeApiListener(app: object, listener: NodeApiListener): void {
  listeners.set(app, listener);
}

export function nodeApiListenerOf(app: object): NodeApiListener | undefined {
  return listeners.get(app);
}

/**
 * Characters the WHATWG URL parser would percent-encode (or cut, `#`) in a query: a request
 * carrying one goes through the fetch path, so that both paths hand the pipeline the same query.
 */
const QUERY_NEEDS_URL = /[^\x21-\x7e]|["#'<>]/;

/** Hosts already checked the way `@hono/node-server` checks them; clients use a handful. */
const validHosts = new Map<string, boolean>();

/** Whether `new URL` accepts `host` as it is (the fetch path answers 400 to the others). */
function isPlainHost(host: string): boolean {
  let ok = validHosts.get(host);
  if (ok === undefined) {
    try {
      const url = new URL(`http://${host}/`);
      ok = url.hostname.length === host.length || url.hostname === host.replace(/:\d+$/, '');
    } catch {
      ok = false;
    }
    if (validHosts.size >= 256) validHosts.clear();
    validHosts.set(host, ok);
  }
  return ok;
}

/**
 * The facts of an API call (`POST|GET /`) read from Node's request, or undefined when the request
 * is not one the fast path can read exactly as the fetch path would (another route, HEAD, a missing
 * or odd `Host`, a query `URL` would rewrite, a repeated header that `Headers` would join).
 */
export function nodeApiCall(req: IncomingMessage): ApiCallFacts | undefined {
  const method = req.method;
  if (method !== 'POST' && method !== 'GET') return undefined;
  const target = req.url ?? '';
  const q = target.indexOf('?');
  if ((q === -1 ? target : target.slice(0, q)) !== '/') return undefined;
  const query = q === -1 ? '' : target.slice(q + 1);
  if (query !== '' && QUERY_NEEDS_URL.test(query)) return undefined;
  const headers = req.headers;
  // Node keeps only the first of some repeated headers (Authorization, Host…) where `Headers` joins them.
  if (req.rawHeaders.length !== 2 * Object.keys(headers).length) return undefined;
  const host = headers.host;
  if (!host || !isPlainHost(host)) return undefined;
  const header = headerLookup(headers);
  return {
    method,
    path: '/',
    query,
    host,
    header,
    remoteAddress: req.socket.remoteAddress,
    encrypted: (req.socket as { encrypted?: boolean }).encrypted === true,
    readBody: (maxBytes) => readNodeBody(req, header('content-length') ?? null, maxBytes),
  };
}

function headerLookup(headers: IncomingHttpHeaders): HeaderLookup {
  return (name) => {
    // Node's names are lower-case. Own properties only: a signed header named `constructor` or
    // `__proto__` must not find what the object inherits.
    const lower = Object.hasOwn(headers, name) ? name : lowerCased(name);
    const value = Object.hasOwn(headers, lower) ? headers[lower] : undefined;
    return typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : undefined;
  };
}

/** Writes an answer in one go (headers and body leave in a single write). */
export function writeAnswer(res: ServerResponse, answer: WireAnswer): void {
  const headers: Record<string, string | number> = answer.headers;
  headers['Content-Length'] = Buffer.byteLength(answer.body);
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}
