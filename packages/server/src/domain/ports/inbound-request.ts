/**
 * One HTTP request as the pipeline and its authenticators see it: pure data, whatever the wire
 * protocol. The SigV4 verifier's `SigV4Request` has the same shape.
 */
export interface InboundRequest {
  method: string;
  /** The path as received, still percent-encoded (`/`, `/a%20b`). */
  path: string;
  /** The raw query string without `?` (may be empty). */
  query: string;
  /** Header lookup by lower-case name; several values joined with `,`. */
  header(name: string): string | undefined;
  /** The host the request was sent to, used when no `Host` header is present (in-process calls). */
  host: string;
  /** The raw body. */
  body: Uint8Array;
}
