/**
 * Server configuration: the same settings from flags, environment variables and a JSON config file.
 * Precedence is flags, then environment, then file, then defaults. Resolution is pure; reading the
 * file and the environment happens at the edge (`castellan serve`).
 */
import { isIP } from 'node:net';
import { parseIdpAllowEntry } from './idp-networks.js';
import { parsePlatformPrincipal } from './platform-principals.js';
import { parseTrustedProxy } from './trusted-proxies.js';
import { MASTER_KEY_BYTES, parseMasterKey } from '../domain/master-key-text.js';
import { MAX_QUOTA, SETTABLE_QUOTAS, type SettableQuota } from '../domain/quotas.js';

/** The resolved settings of one server. */
export interface ServerConfig {
  /** Interface to listen on. Default is `127.0.0.1`. */
  host: string;
  /** TCP port. Default is `8910`; `0` picks a free port. */
  port: number;
  /** Folder for the SQLite database, the master key file and exports. Default is `./data`. */
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  databaseUrl?: string;
  /** Keep all state in memory; enables `POST /_castellan/reset`. Default is `false`. */
  ephemeral: boolean;
  /** The 12-digit account id; generated on first start when absent. */
  accountId?: string;
  /** Fixed root credentials (MinIO-style bootstrap); generated on first start when absent. */
  rootAccessKeyId?: string;
  rootSecretAccessKey?: string;
  /** 32-byte master key (base64 or hex) that encrypts secrets at rest; otherwise a key file in `dataDir`. */
  masterKey?: string;
  /**
   * The web console's public origin (`https://iam.example.com`, or `http://localhost:PORT` in
   * development): security keys' relying party id is its host name and the origin their answers
   * must name is this one, whatever `Host` a request carries. Default is none: both are taken from
   * each request's `Host` and transport.
   */
  consoleOrigin?: string;
  /** Peers whose `X-Forwarded-For` is believed, as CIDRs. Default is none: `aws:SourceIp` is the TCP peer. */
  trustedProxies: string[];
  /** The region of requests that name none (unsigned or unreadable ones, in their audit events) and of the printed CLI example. Default is `us-east-1`. */
  region: string;
  /** pino log level. Default is `info`. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Minutes between exports of the audit trail to `dataDir/trail` (CloudTrail's layout). `0` turns it off. Default is `5`. */
  trailExportMinutes: number;
  /** Days after which audit events are exported and removed from the database. Default is none (kept). */
  auditRetentionDays?: number;
  /** Serve Prometheus `/metrics` on this port (a listener of its own). Default is none: no metrics endpoint. */
  metricsPort?: number;
  /** Interface of the metrics listener. Default is `127.0.0.1`. */
  metricsHost: string;
  /** Requests per second per access key (bursts of twice that); `0` turns the limit off. Default 100, off in ephemeral mode. */
  rateLimitPerKey: number;
  /** Requests per second per source address (bursts of twice that); `0` turns the limit off. Default 500, off in ephemeral mode. */
  rateLimitPerAddress: number;
  /**
   * Accept OpenID Connect issuers at `http://` loopback addresses (with a port) for
   * CreateOpenIDConnectProvider and AssumeRoleWithWebIdentity: for tests and identity providers
   * on the same machine, whose address {@link oidcAllowNetwork} must also name. Default is
   * `false` (https only, as AWS).
   */
  oidcAllowHttpLoopback: boolean;
  /**
   * Host names (`idp.corp.example`) and addresses or CIDR ranges (`10.0.0.0/8`, `127.0.0.1`,
   * `fd00::/8`) OpenID Connect discovery documents and key sets may be fetched from although they
   * are loopback, link-local, private or otherwise internal, which are refused by default (the
   * metadata service at 169.254.169.254 among them). Default is none. Local and test issuers
   * need their address here, besides {@link oidcAllowHttpLoopback}.
   */
  oidcAllowNetwork: string[];
  /**
   * URLs SAML assertions may name as their audience and recipient, besides AWS's sign-in endpoint
   * (`https://signin.aws.amazon.com/saml`, its regional forms and `urn:amazon:webservices`), which
   * are always accepted. Default is none.
   */
  samlAudiences: string[];
  /**
   * The management account's IAM users and roles (ARNs; a role's stands for every session of it)
   * whose services have the platform's standing with `castellan:AuthorizeRequest`: trusted with the
   * clients of every account, as AWS's own services are (their signing keys for chunk-signed
   * uploads, session tags, which of the client's policies decided and why, and data events in the
   * client's trail). Any other principal that may ask, of the management account too, is trusted
   * with its own account's clients only. Default is none. Every entry must be a principal of the
   * management account: another stops the server at start.
   */
  platformPrincipals: string[];
  /**
   * IAM quotas raised (or lowered) from AWS's defaults, by name (`domain/quotas.ts`
   * `SETTABLE_QUOTAS`). From a file, an object; from a flag or the environment,
   * `usersPerAccount=100000,rolesPerAccount=5000`. Default is none: AWS's defaults.
   */
  quotas: Partial<Record<SettableQuota, number>>;
  /** Access keys kept in memory with their decrypted secret and principal (least recently used go first); `0` turns the cache off. Default is 10 000. */
  accessKeyCacheSize: number;
  /** Principals kept in memory with their policies, groups, boundary and tags; `0` turns the cache off. Default is 10 000. */
  principalCacheSize: number;
  /** Opened session tokens kept in memory (least recently used go first); `0` turns the cache off. Default is 10 000. */
  sessionCacheSize: number;
  /**
   * The batched audit events (read-only, refused and failed calls) are written every this many
   * milliseconds, or sooner once {@link auditBatchSize} are waiting. Default is 200. Shorter
   * intervals and smaller batches trade a little CPU for a shorter latency tail (each batch is
   * handed to the audit writer in one step on the event loop) and a smaller crash window.
   */
  auditFlushMs: number;
  /** Batched audit events that make a write start at once, and the most one write takes. Default is 1000. */
  auditBatchSize: number;
  /**
   * Seconds the batched audit writes must have been failing (the store unwritable: disk full,
   * read-only, unreachable) before `/healthz` answers 503 `degraded`. Default is 30: a failover's
   * few seconds of failures do not take the node out of rotation.
   */
  healthAuditFailureSeconds: number;
  /**
   * On PostgreSQL, seconds a connection attempt, a wait for a pooled connection or a statement may
   * go unanswered before the call fails (`ServiceUnavailable`, 503) and the connection is closed: a database
   * that stops answering without closing its connections (a partition, a failover) fails calls
   * instead of holding them. Default is 15. Migrations at start are not bounded.
   */
  databaseTimeoutSeconds: number;
}

/** Raw settings as they come from one source; every field optional and untyped strings allowed. */
export type ConfigSource = Partial<Record<keyof ServerConfig, unknown>>;

/** A setting that could not be used. */
export interface ConfigProblem {
  setting: string;
  message: string;
}

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; problems: ConfigProblem[] };

/** Environment variable for each setting. */
export const CONFIG_ENV: Readonly<Record<keyof ServerConfig, string>> = Object.freeze({
  host: 'CASTELLAN_HOST',
  port: 'CASTELLAN_PORT',
  dataDir: 'CASTELLAN_DATA_DIR',
  databaseUrl: 'CASTELLAN_DATABASE_URL',
  ephemeral: 'CASTELLAN_EPHEMERAL',
  accountId: 'CASTELLAN_ACCOUNT_ID',
  rootAccessKeyId: 'CASTELLAN_ROOT_ACCESS_KEY_ID',
  rootSecretAccessKey: 'CASTELLAN_ROOT_SECRET_ACCESS_KEY',
  masterKey: 'CASTELLAN_MASTER_KEY',
  trustedProxies: 'CASTELLAN_TRUSTED_PROXIES',
  consoleOrigin: 'CASTELLAN_CONSOLE_ORIGIN',
  region: 'CASTELLAN_REGION',
  logLevel: 'CASTELLAN_LOG_LEVEL',
  trailExportMinutes: 'CASTELLAN_TRAIL_EXPORT_MINUTES',
  auditRetentionDays: 'CASTELLAN_AUDIT_RETENTION_DAYS',
  metricsPort: 'CASTELLAN_METRICS_PORT',
  metricsHost: 'CASTELLAN_METRICS_HOST',
  rateLimitPerKey: 'CASTELLAN_RATE_LIMIT_PER_KEY',
  rateLimitPerAddress: 'CASTELLAN_RATE_LIMIT_PER_ADDRESS',
  oidcAllowHttpLoopback: 'CASTELLAN_OIDC_ALLOW_HTTP_LOOPBACK',
  oidcAllowNetwork: 'CASTELLAN_OIDC_ALLOW_NETWORK',
  samlAudiences: 'CASTELLAN_SAML_AUDIENCES',
  platformPrincipals: 'CASTELLAN_PLATFORM_PRINCIPALS',
  quotas: 'CASTELLAN_QUOTAS',
  accessKeyCacheSize: 'CASTELLAN_ACCESS_KEY_CACHE_SIZE',
  principalCacheSize: 'CASTELLAN_PRINCIPAL_CACHE_SIZE',
  sessionCacheSize: 'CASTELLAN_SESSION_CACHE_SIZE',
  auditFlushMs: 'CASTELLAN_AUDIT_FLUSH_MS',
  auditBatchSize: 'CASTELLAN_AUDIT_BATCH_SIZE',
  healthAuditFailureSeconds: 'CASTELLAN_HEALTH_AUDIT_FAILURE_SECONDS',
  databaseTimeoutSeconds: 'CASTELLAN_DATABASE_TIMEOUT_SECONDS',
});

const DEFAULTS: ServerConfig = {
  host: '127.0.0.1',
  port: 8910,
  dataDir: './data',
  ephemeral: false,
  trustedProxies: [],
  region: 'us-east-1',
  logLevel: 'info',
  trailExportMinutes: 5,
  metricsHost: '127.0.0.1',
  rateLimitPerKey: 100,
  rateLimitPerAddress: 500,
  oidcAllowHttpLoopback: false,
  oidcAllowNetwork: [],
  samlAudiences: [],
  platformPrincipals: [],
  quotas: {},
  accessKeyCacheSize: 10_000,
  principalCacheSize: 10_000,
  sessionCacheSize: 10_000,
  auditFlushMs: 200,
  auditBatchSize: 1000,
  healthAuditFailureSeconds: 30,
  databaseTimeoutSeconds: 15,
};

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Reads a `--config` file's parsed JSON: an object whose keys are settings. A key that names no
 * setting (a typo such as `"prot"`) is a problem rather than silently ignored, as an unknown flag is.
 */
export function configFromFile(json: unknown): { ok: true; source: ConfigSource } | { ok: false; problems: ConfigProblem[] } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problems: [{ setting: 'config', message: 'must be a JSON object of settings, e.g. {"port": 8910, "dataDir": "./data"}' }] };
  }
  const unknown = Object.keys(json).filter((key) => !Object.hasOwn(CONFIG_ENV, key));
  if (unknown.length > 0) {
    return { ok: false, problems: unknown.map((key) => ({ setting: key, message: `is not a setting (one of ${Object.keys(CONFIG_ENV).join(', ')})` })) };
  }
  return { ok: true, source: json as ConfigSource };
}

/** Reads the settings present in an environment. */
export function configFromEnv(env: Record<string, string | undefined>): ConfigSource {
  const out: ConfigSource = {};
  for (const [key, name] of Object.entries(CONFIG_ENV) as [keyof ServerConfig, string][]) {
    const value = env[name];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/**
 * Merges the sources (first wins) over the defaults and checks every value.
 *
 * @example
 * ```ts
 * const r = resolveConfig([flags, configFromEnv(process.env), fileSettings]);
 * if (!r.ok) for (const p of r.problems) console.error(`${p.setting}: ${p.message}`);
 * ```
 */
export function resolveConfig(sources: ConfigSource[]): ConfigResult {
  const pick = (key: keyof ServerConfig): unknown => {
    for (const s of sources) if (s[key] !== undefined) return s[key];
    return undefined;
  };
  const problems: ConfigProblem[] = [];
  const config: ServerConfig = { ...DEFAULTS, trustedProxies: [], oidcAllowNetwork: [], samlAudiences: [], platformPrincipals: [], quotas: {} };

  const str = (key: keyof ServerConfig): string | undefined => {
    const v = pick(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      problems.push({ setting: key, message: 'must be a string' });
      return undefined;
    }
    return v;
  };

  /**
   * A list setting: comma-separated in a flag or the environment, an array of strings in a file;
   * entries trimmed, empty ones dropped. Each entry is checked by `check` (a problem as text, or
   * anything else when it is fine); the first problem is reported and the setting left unset.
   */
  const list = (key: 'trustedProxies' | 'oidcAllowNetwork' | 'samlAudiences' | 'platformPrincipals', kind: string, check: (entry: string) => unknown): string[] | undefined => {
    const v = pick(key);
    if (v === undefined) return undefined;
    const raw = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : undefined;
    const entries = raw?.every((e) => typeof e === 'string') ? (raw as string[]).map((e) => e.trim()).filter(Boolean) : undefined;
    if (!entries) {
      problems.push({ setting: key, message: `must be a comma-separated list of ${kind}` });
      return undefined;
    }
    const problem = entries.map(check).find((p) => typeof p === 'string');
    if (problem !== undefined) {
      problems.push({ setting: key, message: problem as string });
      return undefined;
    }
    return entries;
  };

  /**
   * A setting's number: a JSON number, or a string of one. Anything else (`null`, `true`, `""`, an
   * object) is NaN, so the check that follows refuses it: `Number()` would read `null`, `false` and
   * `""` as 0 and `true` as 1.
   */
  const numeric = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);

  const tcpPort = (key: 'port' | 'metricsPort'): number | undefined => {
    const v = pick(key);
    if (v === undefined) return undefined;
    const n = numeric(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      problems.push({ setting: key, message: `\`${String(v)}\` is not a TCP port` });
      return undefined;
    }
    return n;
  };
  config.host = str('host') ?? DEFAULTS.host;
  config.port = tcpPort('port') ?? DEFAULTS.port;
  const metricsPort = tcpPort('metricsPort');
  if (metricsPort !== undefined) config.metricsPort = metricsPort;
  config.metricsHost = str('metricsHost') ?? DEFAULTS.metricsHost;
  config.dataDir = str('dataDir') ?? DEFAULTS.dataDir;
  const databaseUrl = str('databaseUrl');
  if (databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push({ setting: 'databaseUrl', message: 'must start with postgres:// (SQLite is the default and needs no URL)' });
    else config.databaseUrl = databaseUrl;
  }
  const ephemeral = pick('ephemeral');
  if (ephemeral !== undefined) {
    const b = toBool(ephemeral);
    if (b === undefined) problems.push({ setting: 'ephemeral', message: 'must be true or false' });
    else config.ephemeral = b;
  }
  const oidcHttp = pick('oidcAllowHttpLoopback');
  if (oidcHttp !== undefined) {
    const b = toBool(oidcHttp);
    if (b === undefined) problems.push({ setting: 'oidcAllowHttpLoopback', message: 'must be true or false' });
    else config.oidcAllowHttpLoopback = b;
  }
  const accountId = str('accountId');
  if (accountId !== undefined) {
    if (!/^\d{12}$/.test(accountId)) problems.push({ setting: 'accountId', message: 'must be 12 digits' });
    else config.accountId = accountId;
  }
  const keyId = str('rootAccessKeyId');
  const secret = str('rootSecretAccessKey');
  if ((keyId === undefined) !== (secret === undefined)) {
    problems.push({ setting: keyId === undefined ? 'rootAccessKeyId' : 'rootSecretAccessKey', message: 'root access key id and secret must be set together' });
  } else if (keyId !== undefined && secret !== undefined) {
    // Printable ASCII without spaces: it travels in the SigV4 Credential field.
    if (!/^[\x21-\x7e]{3,128}$/.test(keyId) || keyId.includes('/') || keyId.includes(',')) problems.push({ setting: 'rootAccessKeyId', message: 'must be 3 to 128 printable characters without `/`, `,` or spaces' });
    else config.rootAccessKeyId = keyId;
    // The secret is checked for length only and never echoed.
    if (!/^[\x20-\x7e]{8,256}$/.test(secret)) problems.push({ setting: 'rootSecretAccessKey', message: 'must be 8 to 256 printable characters' });
    else config.rootSecretAccessKey = secret;
  }
  const masterKey = str('masterKey');
  if (masterKey !== undefined) {
    // Checked here so a mistyped key stops the server with a usage error, before anything is opened.
    try {
      parseMasterKey(masterKey, 'masterKey');
      config.masterKey = masterKey;
    } catch {
      problems.push({ setting: 'masterKey', message: `must be a ${MASTER_KEY_BYTES}-byte key as 64 hex digits or base64 (\`openssl rand -hex 32\`)` });
    }
  }
  const consoleOrigin = str('consoleOrigin');
  if (consoleOrigin !== undefined) {
    const origin = parseConsoleOrigin(consoleOrigin);
    if (typeof origin !== 'string') problems.push({ setting: 'consoleOrigin', message: `\`${consoleOrigin}\` ${origin.problem}` });
    else config.consoleOrigin = origin;
  }
  const trustedProxies = list('trustedProxies', 'IP addresses or CIDR ranges', parseTrustedProxy);
  if (trustedProxies) config.trustedProxies = trustedProxies;
  const oidcNetworks = list('oidcAllowNetwork', 'host names, IP addresses or CIDR ranges', parseIdpAllowEntry);
  if (oidcNetworks) config.oidcAllowNetwork = oidcNetworks;
  const samlAudiences = list('samlAudiences', 'https:// URLs or URNs', (u) => (/^(https:\/\/|urn:)\S+$/.test(u) ? undefined : `\`${u}\` is not an https:// URL or a URN`));
  if (samlAudiences) config.samlAudiences = samlAudiences;
  const platformPrincipals = list('platformPrincipals', 'IAM user and role ARNs', (arn) => {
    const parsed = parsePlatformPrincipal(arn);
    return typeof parsed === 'string' ? undefined : parsed.problem;
  });
  // Listed once each: the list is shown at start as the principals with the standing.
  if (platformPrincipals) config.platformPrincipals = [...new Set(platformPrincipals)];
  const region = str('region');
  if (region !== undefined) {
    if (!/^[a-z0-9-]{2,32}$/.test(region)) problems.push({ setting: 'region', message: `\`${region}\` is not a region name` });
    else config.region = region;
  }
  const logLevel = str('logLevel');
  if (logLevel !== undefined) {
    if (!LOG_LEVELS.has(logLevel)) problems.push({ setting: 'logLevel', message: `must be one of ${[...LOG_LEVELS].join(', ')}` });
    else config.logLevel = logLevel as ServerConfig['logLevel'];
  }
  const exportMinutes = pick('trailExportMinutes');
  if (exportMinutes !== undefined) {
    const n = numeric(exportMinutes);
    if (!Number.isFinite(n) || n < 0) problems.push({ setting: 'trailExportMinutes', message: 'must be a number of minutes, 0 to turn exports off' });
    else config.trailExportMinutes = n;
  }
  const retention = pick('auditRetentionDays');
  if (retention !== undefined) {
    // Whole days, as `castellan trail export --retention-days` takes them.
    const n = numeric(retention);
    if (!Number.isInteger(n) || n < 1) problems.push({ setting: 'auditRetentionDays', message: 'must be a whole number of days of at least 1' });
    else config.auditRetentionDays = n;
  }
  // A test suite hammers an ephemeral server from one key and one address: no limits unless asked for.
  for (const key of ['rateLimitPerKey', 'rateLimitPerAddress'] as const) {
    const v = pick(key);
    if (v === undefined) {
      config[key] = config.ephemeral ? 0 : DEFAULTS[key];
      continue;
    }
    const n = numeric(v);
    if (!Number.isFinite(n) || n < 0) problems.push({ setting: key, message: 'must be a number of requests per second, 0 to turn the limit off' });
    else config[key] = n;
  }
  const quotas = pick('quotas');
  if (quotas !== undefined) {
    const parsed = parseQuotas(quotas);
    if ('problem' in parsed) problems.push({ setting: 'quotas', message: parsed.problem });
    else config.quotas = parsed.quotas;
  }
  for (const key of ['accessKeyCacheSize', 'principalCacheSize', 'sessionCacheSize'] as const) {
    const v = pick(key);
    if (v === undefined) continue;
    const n = numeric(v);
    if (!Number.isInteger(n) || n < 0) problems.push({ setting: key, message: 'must be a whole number of entries, 0 to turn the cache off' });
    else config[key] = n;
  }
  for (const [key, what, most] of [['auditFlushMs', 'milliseconds', 60_000], ['auditBatchSize', 'events', 60_000], ['healthAuditFailureSeconds', 'seconds', 3600], ['databaseTimeoutSeconds', 'seconds', 3600]] as const) {
    const v = pick(key);
    if (v === undefined) continue;
    const n = numeric(v);
    if (!Number.isInteger(n) || n < 1 || n > most) problems.push({ setting: key, message: `must be a whole number of ${what} from 1 to ${most}` });
    else config[key] = n;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: Object.freeze(config) };
}

/** `quotas` as an object (`{"usersPerAccount": 100000}`) or a list (`usersPerAccount=100000,…`). */
function parseQuotas(v: unknown): { quotas: Partial<Record<SettableQuota, number>> } | { problem: string } {
  let entries: Array<[string, unknown]>;
  if (typeof v === 'string') {
    entries = [];
    for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const eq = part.indexOf('=');
      if (eq < 0) return { problem: `\`${part}\` is not name=value (e.g. usersPerAccount=100000)` };
      entries.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
    }
  } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    entries = Object.entries(v);
  } else {
    return { problem: 'must be an object of quota names and numbers, or name=value pairs separated by commas' };
  }
  const settable = new Set<string>(SETTABLE_QUOTAS);
  const out: Partial<Record<SettableQuota, number>> = {};
  for (const [name, raw] of entries) {
    if (!settable.has(name)) return { problem: `\`${name}\` is not a quota that can be set (one of ${SETTABLE_QUOTAS.join(', ')})` };
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_QUOTA) return { problem: `${name}: \`${String(raw)}\` is not a whole number from 1 to ${MAX_QUOTA}` };
    out[name as SettableQuota] = n;
  }
  return { quotas: out };
}

/**
 * Settings that are valid together but likely not what the operator means, as sentences for the
 * log and the start banner. Castellan itself serves plain http, so with an https `--console-origin`
 * a request is known to be https only through a trusted proxy's `X-Forwarded-Proto`: with no
 * trusted proxy every request looks plain, and the console's session cookie falls back to the plain
 * name without `Secure`, which a browser would also send over plain http.
 */
export function startWarnings(config: Pick<ServerConfig, 'consoleOrigin' | 'trustedProxies'>): string[] {
  const warnings: string[] = [];
  if (config.consoleOrigin?.startsWith('https:') && config.trustedProxies.length === 0) {
    warnings.push(
      `--console-origin is ${config.consoleOrigin}, but this server serves plain http and trusts no proxy (--trusted-proxies), so every request looks like plain http: ` +
        'the console session cookie is castellan-console without Secure (not __Host-castellan-console). Name the TLS-terminating proxy in front of it with --trusted-proxies.',
    );
  }
  return warnings;
}

/**
 * An origin as browsers write it (`https://iam.example.com`, `https://iam.example.com:8443`), or why
 * not. Its host name becomes the security keys' relying party id, which WebAuthn requires to be a
 * valid domain (browsers throw SecurityError otherwise): no IP address, no trailing dot;
 * `localhost` is the one name allowed over plain http, as WebAuthn needs a secure context.
 */
export function parseConsoleOrigin(text: string): string | { problem: string } {
  const shape = 'is not an origin: https://HOST[:PORT] (http:// only for localhost), without path, query or user';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: shape };
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '') || text.endsWith('?') || text.endsWith('#')) return { problem: shape };
  // URL writes an IPv6 host in brackets and normalises IPv4 forms (`0x7f.1` becomes `127.0.0.1`).
  if (isIP(url.hostname.replace(/^\[(.*)\]$/, '$1'))) return { problem: 'names an IP address: security keys need a domain name as their relying party id (use localhost for a local console)' };
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && url.hostname === 'localhost')) return { problem: shape };
  if (url.hostname.endsWith('.')) return { problem: 'ends its host name with a dot, which security keys cannot use as their relying party id: leave the dot out' };
  return url.origin;
}

function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
  }
  return undefined;
}
