import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** Test-only: signs fetch requests with the AWS SDK's own signer (excluded from the build by name). */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Signs a request to `url` with SigV4 (header or presigned) and returns a fetch `Request`. */
export async function signedRequest(options: {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  service: string;
  region?: string;
  credentials: TestCredentials;
  signingDate?: Date;
  presign?: boolean;
}): Promise<Request> {
  const url = new URL(options.url);
  const method = options.method ?? (options.presign ? 'GET' : 'POST');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const headers: Record<string, string> = { host: url.host, ...(options.headers ?? {}) };
  if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
  }
  const signer = new SignatureV4({ credentials: options.credentials, region: options.region ?? 'us-east-1', service: options.service, sha256: Sha256 });
  const unsigned = { method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query, headers, body: options.body };
  const signed = options.presign
    ? await signer.presign(unsigned, { signingDate: options.signingDate ?? new Date(), expiresIn: 300 })
    : await signer.sign(unsigned, { signingDate: options.signingDate ?? new Date() });
  const qs = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const outHeaders = new Headers();
  for (const [k, v] of Object.entries(signed.headers)) if (k.toLowerCase() !== 'host') outHeaders.set(k, v);
  return new Request(`${url.protocol}//${url.host}${signed.path}${qs ? `?${qs}` : ''}`, {
    method,
    headers: outHeaders,
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
}
