/**
 * A client of Castellan's own API (`castellan`, AWS JSON 1.1). The AWS SDK has no client for a
 * service it does not know, so this signs each call with the SDK's own SigV4 signer
 * (`@smithy/signature-v4`, signing name `castellan`) and sends it with fetch, as any other client would.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { StaticCredentials } from './aws-clients.js';

/** The `X-Amz-Target` prefix of the castellan service. */
export const CASTELLAN_TARGET_PREFIX = 'Castellan_20261201';

/** One answer: the HTTP status, the JSON body, and for errors the `__type`. */
export interface CastellanAnswer<T = Record<string, any>> {
  status: number;
  body: T;
  requestId: string | null;
}

/** Calls `operation` with `input`, signed by `credentials` (unsigned when undefined). */
export async function callCastellan<T = Record<string, any>>(endpoint: string, credentials: StaticCredentials | undefined, operation: string, input: Record<string, unknown> = {}, region = 'us-east-1'): Promise<CastellanAnswer<T>> {
  const url = new URL('/', endpoint);
  const body = JSON.stringify(input);
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `${CASTELLAN_TARGET_PREFIX}.${operation}`,
  };
  let sent = headers;
  if (credentials) {
    const signer = new SignatureV4({ credentials, region, service: 'castellan', sha256: Sha256 });
    const signed = await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/', headers, body });
    sent = signed.headers;
  }
  const out = new Headers();
  for (const [k, v] of Object.entries(sent)) if (k !== 'host') out.set(k, v);
  const res = await fetch(url, { method: 'POST', headers: out, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, requestId: res.headers.get('x-amzn-requestid') };
}
