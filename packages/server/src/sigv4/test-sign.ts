import { createHash, createHmac } from 'node:crypto';
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
  /** Presigned without `X-Amz-Expires`, as the AWS SDK for Go v2's `PresignGetCallerIdentity` signs (GET only). */
  presignWithoutExpires?: boolean;
}): Promise<Request> {
  const url = new URL(options.url);
  if (options.presignWithoutExpires) return presignWithoutExpires(url, options.service, options.region ?? 'us-east-1', options.credentials, options.signingDate ?? new Date());
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

/** RFC 3986 encoding, as SigV4's canonical query wants it. */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * A GET presigned by SigV4's documented steps with no `X-Amz-Expires` (the SDK for JavaScript's signer
 * always adds one; the SDK for Go v2's STS presigner does not): host signed, empty payload hashed.
 */
function presignWithoutExpires(url: URL, service: string, region: string, credentials: TestCredentials, date: Date): Request {
  const amzDate = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const params: Array<[string, string]> = [...url.searchParams];
  params.push(['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'], ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`], ['X-Amz-Date', amzDate], ['X-Amz-SignedHeaders', 'host']);
  if (credentials.sessionToken) params.push(['X-Amz-Security-Token', credentials.sessionToken]);
  const query = params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort().join('&');
  const canonical = ['GET', url.pathname || '/', query, `host:${url.host}`, '', 'host', sha256Hex('')].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${credentials.secretAccessKey}`).update(amzDate.slice(0, 8)).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return new Request(`${url.protocol}//${url.host}${url.pathname}?${query}&X-Amz-Signature=${signature}`, { method: 'GET' });
}
