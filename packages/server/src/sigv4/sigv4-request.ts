/** What SigV4 verification needs from an HTTP request; pure data, no I/O. */
export interface SigV4Request {
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

/** The algorithm, credential scope and signature of a signed request, after parsing. */
export interface ParsedSignature {
  kind: 'header' | 'presigned';
  accessKeyId: string;
  /** `YYYYMMDD` from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** The request time from `amzDate`. */
  requestTime: Date;
  /** Lower-case, in the order given. */
  signedHeaders: string[];
  /** Lower-case hex. */
  signature: string;
  sessionToken?: string;
  /** Presigned only: validity in seconds (absent when the URL has no X-Amz-Expires, see `ParseSignatureOptions`). */
  expiresSeconds?: number;
}
