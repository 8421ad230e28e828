/**
 * The workload agent: runs beside a workload, holds its bootstrap secret, exchanges it with the
 * Castellan server for the instance profile's role session, and serves that session on loopback in
 * the two shapes the AWS SDKs' default credential chain already reads, so the workload runs
 * unmodified:
 * - EC2 instance metadata, IMDSv2 only: `PUT /latest/api/token`, then
 *   `GET /latest/meta-data/iam/security-credentials/[ROLE]` with `X-aws-ec2-metadata-token`;
 * - ECS container credentials: `GET /v1/credentials` with `Authorization: <token>`, for
 *   `AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
 * The session is refreshed from the server before it expires; a refusal (the registration was
 * revoked) drops it at once, so the workload gets nothing more.
 *
 * @module
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';

/** The role session the agent serves (from the server's castellan:GetWorkloadCredentials answer). */
export interface WorkloadCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
  RoleArn: string;
  RoleName: string;
}

/** The agent's settings. */
export interface WorkloadAgentOptions {
  /** The Castellan server, e.g. `http://127.0.0.1:8910`. */
  endpoint: string;
  bootstrapSecret: string;
  host: string;
  port: number;
  /**
   * Host names the agent answers to besides `localhost`, IP literals and `host` (see
   * {@link hostAllowed}): a name the workload's `AWS_CONTAINER_CREDENTIALS_FULL_URI` or
   * `AWS_EC2_METADATA_SERVICE_ENDPOINT` uses that resolves to the agent.
   */
  allowedHosts?: readonly string[];
  /** The value ECS clients must send in `Authorization`; without it the ECS route is off. */
  containerAuthorizationToken?: string;
  /** The most IMDSv2 tokens alive at once; a new one beyond it drops the oldest (default 10,000). */
  maxTokens?: number;
  /** Refresh when the session has less than this left (default {@link DEFAULT_REFRESH_BEFORE_SECONDS}). */
  refreshBeforeSeconds?: number;
  now?: () => Date;
  fetch?: typeof fetch;
  /**
   * Told why a refresh failed (refused, or the server unreachable), so the operator sees the cause
   * of the 404 the workload gets; never given the secret.
   */
  warn?: (message: string) => void;
}

/** A started agent. */
export interface WorkloadAgent {
  url: string;
  close(): Promise<void>;
}

/**
 * Whether a request's `Host` header names the agent in a way no web page can make a browser send:
 * an IP literal (`127.0.0.1:8911`, `[::1]:8911`, `169.254.169.254`: the SDKs reach the metadata
 * endpoint by IP, and send the host they connect to), `localhost`, or one of `names` (the configured
 * listen host and `--allow-host` names), any port. A page whose attacker-controlled name was
 * rebound to the agent's address sends that name, and is refused. A request without `Host`
 * (HTTP/1.0) comes from no browser.
 */
export function hostAllowed(header: string | undefined, names: ReadonlySet<string>): boolean {
  if (header === undefined) return true;
  const bracketed = /^\[([^\]]+)\](?::\d*)?$/.exec(header);
  if (bracketed) return isIP(bracketed[1]!) === 6;
  // A fully qualified name's trailing dot (`localhost.`) names the same host.
  const name = header.replace(/:\d*$/, '').replace(/\.$/, '').toLowerCase();
  return isIP(name) === 4 || name === 'localhost' || names.has(name);
}

/** EC2's bounds for an IMDSv2 token's life. */
const TOKEN_TTL_MIN = 1;
const TOKEN_TTL_MAX = 21600;
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';
export const CONTAINER_CREDENTIALS_PATH = '/v1/credentials';
/**
 * How long before a session expires the agent fetches the next one: 15 minutes. AWS makes new
 * instance credentials available "at least five minutes before the expiration of the old
 * credentials" (EC2 User Guide, "Retrieve security credentials from instance metadata"), but
 * botocore (the AWS CLI, boto3) refreshes container and IMDS credentials from 15 minutes before
 * expiry and blocks on it from 10: served with less than 15 minutes left, a session is fetched again
 * by every call those clients make until the agent renews it.
 */
export const DEFAULT_REFRESH_BEFORE_SECONDS = 900;

/** The castellan API call the agent makes (AWS JSON 1.1; see the README's "The Castellan API"). */
export const GET_WORKLOAD_CREDENTIALS_TARGET = 'Castellan_20261201.GetWorkloadCredentials';

/** castellan:GetWorkloadCredentials' answer (timestamps in epoch seconds, as AWS JSON sends them). */
interface GetWorkloadCredentialsAnswer {
  Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: number };
  RoleArn: string;
}

/** The session to serve, from the server's answer. */
export function sessionOf(answer: GetWorkloadCredentialsAnswer): WorkloadCredentials {
  const c = answer.Credentials;
  return {
    AccessKeyId: c.AccessKeyId,
    SecretAccessKey: c.SecretAccessKey,
    Token: c.SessionToken,
    Expiration: new Date(c.Expiration * 1000).toISOString(),
    RoleArn: answer.RoleArn,
    RoleName: answer.RoleArn.slice(answer.RoleArn.lastIndexOf('/') + 1),
  };
}

/** A session as the agent serves it, with when it was fetched from the server (IMDS's `LastUpdated`). */
interface FetchedSession extends WorkloadCredentials {
  fetchedAt: Date;
}

/** Why the agent has no credentials to give. */
class NoCredentials extends Error {}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Keeps the current session and fetches a new one when it is near its end. */
class SessionCache {
  private current: FetchedSession | undefined;
  private pending: Promise<FetchedSession> | undefined;
  private lastWarning: string | undefined;

  constructor(private readonly o: Required<Pick<WorkloadAgentOptions, 'endpoint' | 'bootstrapSecret' | 'now' | 'fetch' | 'warn'>> & { refreshBeforeMs: number }) {}

  async get(): Promise<FetchedSession> {
    const c = this.current;
    if (c && Date.parse(c.Expiration) - this.o.now().getTime() > this.o.refreshBeforeMs) return c;
    this.pending ??= this.refresh().finally(() => { this.pending = undefined; });
    return this.pending;
  }

  private async refresh(): Promise<FetchedSession> {
    let res: Response;
    try {
      res = await this.o.fetch(new URL('/', this.o.endpoint), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.o.bootstrapSecret}`,
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': GET_WORKLOAD_CREDENTIALS_TARGET,
        },
        body: '{}',
      });
    } catch (err) {
      // The server is unreachable: keep serving a session that has not expired yet.
      const c = this.current;
      const why = `cannot reach ${this.o.endpoint}: ${fetchFailure(err)}`;
      if (c && Date.parse(c.Expiration) > this.o.now().getTime()) {
        this.warnOnce(`${why}; serving the current session until ${c.Expiration}`);
        return c;
      }
      this.warnOnce(`${why}; no session to serve`);
      throw new NoCredentials(why);
    }
    if (!res.ok) {
      // Refused (revoked, or the profile lost its role): stop serving the old session at once.
      this.current = undefined;
      const body = (await res.json().catch(() => ({}))) as { __type?: string; message?: string };
      const why = `the server refused the workload (HTTP ${res.status}${body.__type ? ` ${body.__type}` : ''}${body.message ? `: ${body.message}` : ''}); no session to serve`;
      this.warnOnce(why);
      throw new NoCredentials(why);
    }
    const answer = (await res.json()) as GetWorkloadCredentialsAnswer;
    this.current = { ...sessionOf(answer), fetchedAt: this.o.now() };
    this.lastWarning = undefined;
    return this.current;
  }

  /** Every credential request in the refresh window retries: the same trouble is said once, until a refresh succeeds. */
  private warnOnce(message: string): void {
    if (message !== this.lastWarning) this.o.warn(message);
    this.lastWarning = message;
  }
}

/** Why `fetch` failed: Node's says only "fetch failed" and keeps the reason (`ECONNREFUSED`…) as its cause. */
function fetchFailure(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
  if (typeof cause?.code === 'string') return cause.code;
  return (err as Error).message;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Starts the agent's listener. */
export async function startWorkloadAgent(options: WorkloadAgentOptions): Promise<WorkloadAgent> {
  const now = options.now ?? (() => new Date());
  const cache = new SessionCache({
    endpoint: options.endpoint,
    bootstrapSecret: options.bootstrapSecret,
    now,
    fetch: options.fetch ?? fetch,
    warn: options.warn ?? (() => {}),
    refreshBeforeMs: (options.refreshBeforeSeconds ?? DEFAULT_REFRESH_BEFORE_SECONDS) * 1000,
  });
  const tokens = new Map<string, number>();
  const maxTokens = options.maxTokens ?? 10_000;

  const validToken = (req: IncomingMessage): boolean => {
    const token = req.headers['x-aws-ec2-metadata-token'];
    if (typeof token !== 'string') return false;
    const expires = tokens.get(token);
    if (expires === undefined) return false;
    if (expires <= now().getTime()) {
      tokens.delete(token);
      return false;
    }
    return true;
  };

  const hostNames = new Set([options.host, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()));
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // A browser on this machine can reach the loopback port through a name an attacker's DNS points
    // at 127.0.0.1 (DNS rebinding), same-origin, so no CORS check stops it. Browsers always send
    // `Origin` on a PUT (the token request) and the SDKs never do: such a request is refused.
    if (req.headers.origin !== undefined) return send(res, 403, '');
    // A stronger guard against the same: the rebound name is in Host.
    if (!hostAllowed(req.headers.host, hostNames)) return send(res, 403, '');
    if (path === '/latest/api/token') {
      if (req.method !== 'PUT') return send(res, 405, '');
      // EC2 refuses token requests that went through a proxy.
      if (req.headers['x-forwarded-for'] !== undefined) return send(res, 403, '');
      const raw = req.headers['x-aws-ec2-metadata-token-ttl-seconds'];
      const ttl = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!(ttl >= TOKEN_TTL_MIN && ttl <= TOKEN_TTL_MAX)) return send(res, 400, '');
      const token = randomBytes(32).toString('base64url');
      for (const [t, exp] of tokens) if (exp <= now().getTime()) tokens.delete(t);
      // Anything on the machine may ask for tokens of up to six hours: without a bound, asking in
      // a loop would grow the map until the agent ran out of memory. The oldest goes first.
      while (tokens.size >= maxTokens) tokens.delete(tokens.keys().next().value!);
      tokens.set(token, now().getTime() + ttl * 1000);
      return send(res, 200, token, 'text/plain', { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) });
    }
    if (path.startsWith('/latest/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '');
      // IMDSv1 (no token) is refused, as on an instance that requires IMDSv2.
      if (!validToken(req)) return send(res, 401, '');
      if (path === CREDENTIALS_PATH) return send(res, 200, (await cache.get()).RoleName);
      if (path.startsWith(CREDENTIALS_PATH)) {
        const c = await cache.get();
        if (path.slice(CREDENTIALS_PATH.length) !== c.RoleName) return send(res, 404, '');
        return send(res, 200, JSON.stringify({
          Code: 'Success',
          // When these credentials were fetched, as EC2 says when an instance's were last rotated: not this request's time.
          LastUpdated: c.fetchedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          Type: 'AWS-HMAC',
          AccessKeyId: c.AccessKeyId,
          SecretAccessKey: c.SecretAccessKey,
          Token: c.Token,
          Expiration: c.Expiration.replace(/\.\d{3}Z$/, 'Z'),
        }), 'application/json');
      }
      return send(res, 404, '');
    }
    if (path === CONTAINER_CREDENTIALS_PATH && options.containerAuthorizationToken !== undefined) {
      if (req.method !== 'GET') return send(res, 405, '');
      const auth = req.headers['authorization'];
      if (typeof auth !== 'string' || !sameText(auth, options.containerAuthorizationToken)) {
        return send(res, 401, JSON.stringify({ code: 'AccessDenied', message: 'Authorization token is missing or wrong.' }), 'application/json');
      }
      const c = await cache.get();
      return send(res, 200, JSON.stringify({
        AccessKeyId: c.AccessKeyId,
        SecretAccessKey: c.SecretAccessKey,
        Token: c.Token,
        Expiration: c.Expiration,
        RoleArn: c.RoleArn,
      }), 'application/json');
    }
    return send(res, 404, '');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      // No session to give: EC2 answers 404 for a missing role; the SDKs then fail the chain.
      if (err instanceof NoCredentials) return send(res, 404, '');
      send(res, 500, '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
