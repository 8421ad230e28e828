/**
 * `castellan serve`: starts the server. Settings come from flags, then `CASTELLAN_*` environment
 * variables, then a JSON config file (`--config`), then defaults. On first start it prints the root
 * access key once, with a copy-paste AWS CLI example. SIGTERM/SIGINT shut it down gracefully.
 */
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { Option } from 'commander';
import { consoleAssetsDir } from '@castellan/console';
import { configFromEnv, configFromFile, resolveConfig, startCastellan, startWarnings, type ConfigSource, type ServerConfig } from '@castellan/server';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';

/** What `serve` needs beyond `CliIo`: the environment and a way to wait for a stop signal. */
export interface ServeIo {
  env: Record<string, string | undefined>;
  /** Resolves when the process is asked to stop (SIGTERM, SIGINT). */
  untilStopSignal(): Promise<string>;
  /** Sets the runtime up for serving, before the server starts (see `tuneRuntimeForServing`). */
  tuneRuntime?(): void;
}

/**
 * Young-generation collections one thread at a time (`--no-parallel-scavenge`), unless Node was
 * started with a `parallel-scavenge` flag of its own. The server's young collections keep about
 * 1% of what they scan (`node bench/authorizer/threads.js --trace-gc`; `--trace-gc-nvp` showed
 * 94 KB kept of 14 MB), so parallel tasks have next to nothing to share, while the request thread
 * waits for helper threads the OS has not scheduled whenever the cores are busy (the audit worker
 * thread, other processes, a container's CPU quota, which V8's pool does not know). On 2 busy
 * cores the pauses of the AuthorizeRequest benchmark's young collections halved in total and their
 * longest went from 10–70 ms to 2–8 ms; CPU per request was unchanged. V8 reads the flag at each
 * collection, so setting it at run time takes effect.
 */
export function tuneRuntimeForServing(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env['NODE_OPTIONS'] ?? ''): boolean {
  if ([...execArgv, nodeOptions].some((a) => a.includes('parallel-scavenge') || a.includes('parallel_scavenge'))) return false;
  setFlagsFromString('--no-parallel-scavenge');
  return true;
}

/**
 * One line an operator can act on for a failure at start, instead of a stack trace: the system
 * errors a deployment meets (a port taken, a folder it may not write, a full disk) say what to change.
 */
export function startFailure(error: Error & { code?: unknown; address?: unknown; port?: unknown }, config: Pick<ServerConfig, 'dataDir' | 'databaseUrl'>): string {
  const where = typeof error.address === 'string' && typeof error.port === 'number' ? `${error.address.includes(':') ? `[${error.address}]` : error.address}:${error.port}` : undefined;
  const folder = config.databaseUrl ? 'the data folder' : `the data folder \`${config.dataDir}\``;
  switch (error.code) {
    case 'EADDRINUSE':
      return `${where ?? 'the address'} is already in use (another process listens there): choose another --port / --metrics-port, or stop that process`;
    case 'EADDRNOTAVAIL':
      return `${where ?? 'the address'} is not an address of this machine: check --host / --metrics-host`;
    case 'EACCES':
    case 'EPERM':
      return where ? `not allowed to listen on ${where} (ports below 1024 need privileges)` : `permission denied (${error.message}): ${folder} must be writable by this user`;
    case 'EROFS':
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return `${folder} cannot be written (${error.message}): it must be a writable folder`;
    case 'ENOSPC':
    case 'SQLITE_FULL':
      return `no space left for ${folder} (${error.message})`;
    default:
      return withCauses(error);
  }
}

/** `message: cause's message: …`, so a wrapped failure (`database migration failed`) says why. */
function withCauses(error: Error): string {
  const parts = [error.message];
  for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (!parts.includes(cause.message)) parts.push(cause.message);
  }
  return parts.join(': ');
}

/** The process's environment and signals. */
export const PROCESS_SERVE_IO: ServeIo = {
  env: process.env,
  untilStopSignal: () =>
    new Promise((resolve) => {
      const stop = (signal: string) => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        resolve(signal);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    }),
  tuneRuntime: () => void tuneRuntimeForServing(),
};

/** Flag name → setting. Flags win over the environment and the config file. */
const FLAGS: ReadonlyArray<{ flag: string; setting: keyof ServerConfig; help: string }> = [
  { flag: '--host <host>', setting: 'host', help: 'interface to listen on (default 127.0.0.1; env CASTELLAN_HOST)' },
  { flag: '--port <port>', setting: 'port', help: 'TCP port, 0 for any free one (default 8910; env CASTELLAN_PORT)' },
  { flag: '--data-dir <dir>', setting: 'dataDir', help: 'folder for the SQLite database, the master key and trail exports (default ./data; env CASTELLAN_DATA_DIR)' },
  { flag: '--database-url <url>', setting: 'databaseUrl', help: 'postgres://… to store in PostgreSQL instead of SQLite (env CASTELLAN_DATABASE_URL)' },
  { flag: '--account-id <id>', setting: 'accountId', help: '12-digit account id on first start (default generated; env CASTELLAN_ACCOUNT_ID)' },
  { flag: '--root-access-key-id <id>', setting: 'rootAccessKeyId', help: 'fixed root access key id, 3+ printable characters (env CASTELLAN_ROOT_ACCESS_KEY_ID)' },
  { flag: '--root-secret-access-key <secret>', setting: 'rootSecretAccessKey', help: 'fixed root secret, 8+ characters; prefer the environment variable CASTELLAN_ROOT_SECRET_ACCESS_KEY, flags are visible in ps' },
  { flag: '--master-key <key>', setting: 'masterKey', help: '32-byte key (base64 or hex) encrypting secrets at rest (env CASTELLAN_MASTER_KEY; default a 0600 key file in the data dir)' },
  { flag: '--trusted-proxies <cidrs>', setting: 'trustedProxies', help: 'comma-separated addresses or CIDR ranges (IPv4 or IPv6) of proxies whose X-Forwarded-For is believed (default none; env CASTELLAN_TRUSTED_PROXIES)' },
  { flag: '--console-origin <url>', setting: 'consoleOrigin', help: 'the web console\'s public origin, e.g. https://iam.example.com: security keys\' relying party id and the origin their answers must name (default: each request\'s Host; env CASTELLAN_CONSOLE_ORIGIN)' },
  { flag: '--region <region>', setting: 'region', help: 'region reported when a request names none (default us-east-1; env CASTELLAN_REGION)' },
  { flag: '--log-level <level>', setting: 'logLevel', help: 'fatal|error|warn|info|debug|trace|silent (default info; env CASTELLAN_LOG_LEVEL)' },
  { flag: '--trail-export-minutes <n>', setting: 'trailExportMinutes', help: 'minutes between audit trail exports to <data-dir>/trail, 0 for none (default 5; env CASTELLAN_TRAIL_EXPORT_MINUTES)' },
  { flag: '--audit-retention-days <n>', setting: 'auditRetentionDays', help: 'export, then delete, audit events older than this (default: keep; env CASTELLAN_AUDIT_RETENTION_DAYS)' },
  { flag: '--rate-limit-per-key <n>', setting: 'rateLimitPerKey', help: 'requests per second per access key, bursts of twice that, 0 for none (default 100, none with --ephemeral; env CASTELLAN_RATE_LIMIT_PER_KEY)' },
  { flag: '--rate-limit-per-address <n>', setting: 'rateLimitPerAddress', help: 'requests per second per source address, bursts of twice that, 0 for none (default 500, none with --ephemeral; env CASTELLAN_RATE_LIMIT_PER_ADDRESS)' },
  { flag: '--access-key-cache-size <n>', setting: 'accessKeyCacheSize', help: 'access keys kept in memory with their decrypted secret, 0 for none (default 10000; env CASTELLAN_ACCESS_KEY_CACHE_SIZE)' },
  { flag: '--principal-cache-size <n>', setting: 'principalCacheSize', help: 'principals kept in memory with their compiled policies (and as many IAM users with their tags, for GetUser and calls that target a user), 0 for none (default 10000; env CASTELLAN_PRINCIPAL_CACHE_SIZE)' },
  { flag: '--session-cache-size <n>', setting: 'sessionCacheSize', help: 'session tokens kept in memory once opened (a warm session is not decrypted again), 0 for none (default 10000; env CASTELLAN_SESSION_CACHE_SIZE)' },
  { flag: '--audit-flush-ms <ms>', setting: 'auditFlushMs', help: 'write the batched audit events of reads and refusals every this many ms (default 200; env CASTELLAN_AUDIT_FLUSH_MS)' },
  { flag: '--audit-batch-size <n>', setting: 'auditBatchSize', help: 'write them at once when this many are waiting, and at most this many per write (default 1000; env CASTELLAN_AUDIT_BATCH_SIZE); smaller: a shorter latency tail for mutations, for more CPU' },
  { flag: '--health-audit-failure-seconds <n>', setting: 'healthAuditFailureSeconds', help: '/healthz answers 503 degraded once the batched audit writes have failed this long (disk full, database unreachable) (default 30; env CASTELLAN_HEALTH_AUDIT_FAILURE_SECONDS)' },
  { flag: '--database-timeout-seconds <n>', setting: 'databaseTimeoutSeconds', help: 'PostgreSQL: a connection attempt or statement unanswered this long fails its call and closes its connection (default 15; env CASTELLAN_DATABASE_TIMEOUT_SECONDS)' },
  { flag: '--metrics-port <port>', setting: 'metricsPort', help: 'serve Prometheus /metrics on this port, a listener of its own (default: no metrics endpoint; env CASTELLAN_METRICS_PORT)' },
  { flag: '--platform-principals <arns>', setting: 'platformPrincipals', help: 'comma-separated ARNs of the management account\'s IAM users and roles (a role: every session of it) whose services castellan:AuthorizeRequest trusts with the clients of every account: signing keys of chunk-signed uploads, session tags, why the client was denied, events in the client\'s trail (default none: a service is trusted with its own account\'s clients only; env CASTELLAN_PLATFORM_PRINCIPALS)' },
  { flag: '--saml-audiences <urls>', setting: 'samlAudiences', help: 'comma-separated audiences/recipients SAML assertions may name besides https://signin.aws.amazon.com/saml (env CASTELLAN_SAML_AUDIENCES)' },
  { flag: '--metrics-host <host>', setting: 'metricsHost', help: 'interface of the metrics listener (default 127.0.0.1; env CASTELLAN_METRICS_HOST)' },
  { flag: '--quotas <list>', setting: 'quotas', help: 'IAM quotas raised from AWS\'s defaults, e.g. usersPerAccount=100000,rolesPerAccount=5000 (env CASTELLAN_QUOTAS; README "Configuration" lists the names)' },
];

/** Turns commander's option object into a config source. */
function flagsToSource(opts: Record<string, unknown>): ConfigSource {
  const out: ConfigSource = {};
  for (const { setting } of FLAGS) if (opts[setting] !== undefined) out[setting] = opts[setting];
  if (opts['ephemeral'] === true) out.ephemeral = true;
  if (opts['oidcAllowHttpLoopback'] === true) out.oidcAllowHttpLoopback = true;
  if (Array.isArray(opts['oidcAllowNetwork'])) out.oidcAllowNetwork = opts['oidcAllowNetwork'];
  return out;
}

/** The banner printed once the server listens. The secret appears only when it was just created. */
export function startBanner(
  server: { url: string; accountId: string; bootstrap: { rootAccessKeyId?: string; rootSecretAccessKey?: string; createdAccount?: boolean; rootAccessKeyInactive?: true; rootKeyless?: true } },
  config: ServerConfig,
): string {
  const storage = config.ephemeral ? 'in memory (ephemeral)' : config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
  const lines = [`Castellan is listening on ${server.url} (account ${server.accountId}, ${storage})`, ''];
  const secret = server.bootstrap.rootSecretAccessKey;
  if (server.bootstrap.rootKeyless || server.bootstrap.rootAccessKeyId === undefined) {
    // Every root key was deleted (best practice 1): bootstrap makes none again, so say how to get one on purpose.
    lines.push(
      'Root has no access key (as AWS\'s best practices ask): sign the AWS CLI\'s calls with an IAM user\'s access key, e.g.',
      `  aws --endpoint-url ${server.url} sts get-caller-identity`,
      `If you need a root access key again (no IAM user left that can manage the account): \`castellan root create-access-key ${storeWhere(config)}\` prints a new one once and records it in the trail.`,
      '',
      `The web console: ${server.url}/console/ (${consoleRootHint(config)}).`,
    );
    return lines.join('\n');
  } else if (secret) {
    lines.push('The root access key below is shown this once: keep it safe, and create IAM users for daily work.');
  } else if (server.bootstrap.rootAccessKeyInactive) {
    // The operator retired root's key (best practice 1): an example signed with it would only fail.
    lines.push(
      `Root's access key ${server.bootstrap.rootAccessKeyId} is Inactive: sign the AWS CLI's calls with an IAM user's access key, e.g.`,
      `  aws --endpoint-url ${server.url} sts get-caller-identity`,
      '',
      `The web console: ${server.url}/console/ (${consoleRootHint(config)}).`,
    );
    return lines.join('\n');
  } else {
    lines.push(`Root access key id: ${server.bootstrap.rootAccessKeyId} (its secret was printed when it was generated, or comes from your settings).`);
  }
  lines.push(
    '',
    'Try it with the AWS CLI:',
    `  export AWS_ACCESS_KEY_ID=${server.bootstrap.rootAccessKeyId}`,
    `  export AWS_SECRET_ACCESS_KEY=${secret ?? '<root secret>'}`,
    `  export AWS_REGION=${config.region} AWS_DEFAULT_REGION=${config.region}   # CLI v2 reads either, v1 only the second`,
    `  aws --endpoint-url ${server.url} iam list-users`,
    `  aws --endpoint-url ${server.url} sts get-caller-identity`,
    '',
    `The web console: ${server.url}/console/ (${consoleRootHint(config)}).`,
  );
  return lines.join('\n');
}

/** The banner, then the settings' warnings (the log has them too), last, where a reader ends. */
export function startAnnouncement(server: Parameters<typeof startBanner>[0], config: ServerConfig): string {
  return [startBanner(server, config), ...startWarnings(config).map((w) => `\nWarning: ${w}`)].join('\n');
}

/**
 * How root gets a console password on this server: `root set-password` must open the same storage
 * as the server, so the hint names the data folder; the database URL is not repeated (it may hold a
 * password, and the banner goes to logs), and an ephemeral server has no storage the command can open.
 */
function consoleRootHint(config: Pick<ServerConfig, 'ephemeral' | 'databaseUrl' | 'dataDir'>): string {
  if (config.ephemeral) return 'sign in as an IAM user with a login profile: in memory, root has no console password';
  return `sign in as root once \`castellan root set-password ${storeWhere(config)}\` has set its password`;
}

/** How a `castellan root` command is pointed at this server's storage. */
function storeWhere(config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>): string {
  return config.databaseUrl ? '--database-url <the same URL>' : `--data-dir ${shellWord(config.dataDir)}`;
}

/** A path as one shell word: as it is when plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Registers `serve` on the program. */
export function registerServe(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void, serveIo: ServeIo = PROCESS_SERVE_IO): void {
  const cmd = program.command('serve').description('start the Castellan server (AWS IAM, STS and CloudTrail APIs)');
  for (const f of FLAGS) cmd.option(f.flag, f.help);
  cmd.addOption(new Option('--oidc-allow-http-loopback', 'accept OpenID Connect issuers at http://127.0.0.1:PORT, localhost or [::1] (tests, local providers, which also need --oidc-allow-network naming their address; env CASTELLAN_OIDC_ALLOW_HTTP_LOOPBACK)'));
  cmd.addOption(
    new Option('--oidc-allow-network <host-or-cidr>', 'let OpenID Connect issuers at this host name, address or CIDR range be fetched although internal (loopback, private, link-local are refused by default); repeatable or comma-separated (env CASTELLAN_OIDC_ALLOW_NETWORK)')
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)]),
  );
  cmd.addOption(new Option('--ephemeral', 'keep all state in memory; enables POST /_castellan/reset (header X-Castellan-Reset: 1, on a loopback address) for test suites; env CASTELLAN_EPHEMERAL'));
  cmd.option('--config <file>', 'JSON file with the same settings, named as in camelCase (e.g. {"port": 8910, "dataDir": "./data"})');
  cmd.action(async (opts: Record<string, unknown>) => {
    let fileSource: ConfigSource = {};
    if (typeof opts['config'] === 'string') {
      let json: unknown;
      try {
        json = JSON.parse(await io.readFile(opts['config']));
      } catch (e) {
        io.err(`castellan serve: cannot read config file \`${opts['config']}\`: ${(e as Error).message}`);
        setExitCode(ExitCode.Usage);
        return;
      }
      const file = configFromFile(json);
      if (!file.ok) {
        for (const p of file.problems) io.err(`castellan serve: config file \`${opts['config']}\`: ${p.setting}: ${p.message}`);
        setExitCode(ExitCode.Usage);
        return;
      }
      fileSource = file.source;
    }
    const resolved = resolveConfig([flagsToSource(opts), configFromEnv(serveIo.env), fileSource]);
    if (!resolved.ok) {
      for (const p of resolved.problems) io.err(`castellan serve: ${p.setting}: ${p.message}`);
      setExitCode(ExitCode.Usage);
      return;
    }
    serveIo.tuneRuntime?.();
    let server: Awaited<ReturnType<typeof startCastellan>>;
    try {
      server = await startCastellan(resolved.config, { consoleDir: consoleAssetsDir });
    } catch (e) {
      io.err(`castellan serve: cannot start: ${startFailure(e as Error, resolved.config)}`);
      setExitCode(ExitCode.Error);
      return;
    }
    io.out(startAnnouncement(server, resolved.config));
    const signal = await serveIo.untilStopSignal();
    io.err(`castellan: ${signal} received, shutting down`);
    try {
      await server.close();
    } catch (e) {
      io.err(`castellan serve: stopped, but not everything was written: ${startFailure(e as Error, resolved.config)}`);
      setExitCode(ExitCode.Error);
      return;
    }
    setExitCode(ExitCode.Ok);
  });
}
