/**
 * The round trip: asks Castellan's `AuthorizeRequest` (service `castellan`, AWS JSON 1.1) about a
 * request the service received, signing the call with the service's own credentials over a
 * kept-alive connection.
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { buildStringToSign, canonicalRequestWithPayloadHash, deriveSigningKey, formatAmzDate, sha256Hex, type ParsedSignature } from '@castellan/server/service-kit';
import type { AuthorizationAnswer, AuthorizationQuestion, RequestAuthorizer } from './types.js';
import { answerFromWire, questionToWire } from './wire.js';

/** AWS credentials of the service (an IAM user's keys, or a role session's). */
export interface ServiceCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Temporary credentials: refreshed from the provider shortly before this. */
  expiration?: Date;
}

/** Static credentials, or a provider such as `fromTemporaryCredentials(...)` of `@aws-sdk/credential-providers`. */
export type CredentialsSource = ServiceCredentials | (() => Promise<ServiceCredentials>);

/** Settings of {@link CastellanAuthorizer}. */
export interface CastellanAuthorizerOptions {
  /** Castellan's URL, e.g. `http://127.0.0.1:8080`. */
  endpoint: string;
  credentials: CredentialsSource;
  /** The service's own signing name (`s3`): client requests must be signed for it. */
  service: string;
  /** The region the calls to Castellan are signed for. Default is `us-east-1`. */
  region?: string;
  /** Connections kept open to Castellan. Default is `64`. */
  maxSockets?: number;
}

/** The JSON 1.1 target prefix of Castellan's own service. */
export const CASTELLAN_TARGET_PREFIX = 'Castellan_20261201';

/** A call to Castellan that failed (the service's own credentials or permissions, bad input, an outage). */
export class CastellanCallError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
    this.name = 'CastellanCallError';
  }
}

/**
 * Asks Castellan about each request.
 *
 * @example
 * ```ts
 * const castellan = new CastellanAuthorizer({ endpoint: 'http://127.0.0.1:8080', service: 's3',
 *   credentials: { accessKeyId, secretAccessKey } });
 * const answer = await castellan.authorize({ request, sourceIp, authorizations: [{ action: 's3:GetObject', resource }] });
 * if (answer.authenticated && answer.allowed) serve();
 * ```
 */
export class CastellanAuthorizer implements RequestAuthorizer {
  readonly service: string;
  readonly #url: URL;
  readonly #region: string;
  readonly #agent: http.Agent;
  readonly #credentials: CredentialsSource;
  #cached: ServiceCredentials | undefined;
  #key: { id: string; date: string; key: Buffer } | undefined;

  constructor(options: CastellanAuthorizerOptions) {
    this.#url = new URL(options.endpoint);
    this.service = options.service;
    this.#region = options.region ?? 'us-east-1';
    this.#credentials = options.credentials;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
    this.#agent = this.#url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Verifies, decides and records the request at Castellan. */
  authorize(question: AuthorizationQuestion): Promise<AuthorizationAnswer> {
    return this.ask(question, false);
  }

  /** The same, asking for a principal snapshot too (what {@link InProcessAuthorizer} caches). */
  async ask(question: AuthorizationQuestion, includePrincipalSnapshot: boolean): Promise<AuthorizationAnswer> {
    const body = JSON.stringify(questionToWire(question, { service: this.service, includePrincipalSnapshot }));
    const out = await this.call('AuthorizeRequest', body);
    return answerFromWire(out);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  private async credentials(now: Date): Promise<ServiceCredentials> {
    const source = this.#credentials;
    if (typeof source !== 'function') return source;
    const c = this.#cached;
    if (c && (!c.expiration || c.expiration.getTime() - now.getTime() > 60_000)) return c;
    this.#cached = await source();
    return this.#cached;
  }

  private async call(operation: string, body: string): Promise<Record<string, unknown>> {
    const now = new Date();
    const creds = await this.credentials(now);
    const amzDate = formatAmzDate(now);
    const date = amzDate.slice(0, 8);
    const host = this.#url.host;
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.1',
      host,
      'x-amz-date': amzDate,
      'x-amz-target': `${CASTELLAN_TARGET_PREFIX}.${operation}`,
      ...(creds.sessionToken ? { 'x-amz-security-token': creds.sessionToken } : {}),
    };
    const signedHeaders = Object.keys(headers).sort();
    const sig = { scopeDate: date, region: this.#region, service: 'castellan', amzDate, signedHeaders } as ParsedSignature;
    const req = { method: 'POST', path: '/', query: '', host, header: (n: string) => headers[n] };
    const canonical = canonicalRequestWithPayloadHash(req, sig, sha256Hex(body));
    const id = `${creds.accessKeyId}/${date}`;
    if (this.#key?.id !== id) this.#key = { id, date, key: deriveSigningKey(creds.secretAccessKey, date, this.#region, 'castellan') };
    const signature = createHmac('sha256', this.#key.key).update(buildStringToSign(canonical, sig)).digest('hex');
    headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${date}/${this.#region}/castellan/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
    delete headers['host'];
    headers['content-length'] = String(Buffer.byteLength(body));
    const { status, text } = await this.post(headers, body);
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (status !== 200) {
      const type = String(parsed['__type'] ?? 'UnknownError');
      throw new CastellanCallError(type.slice(type.lastIndexOf('#') + 1), String(parsed['message'] ?? parsed['Message'] ?? `HTTP ${status}`), status);
    }
    return parsed;
  }

  private post(headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
    const client = this.#url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        { protocol: this.#url.protocol, hostname: this.#url.hostname, port: this.#url.port, method: 'POST', path: '/', headers, agent: this.#agent },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
