/**
 * The composition root: configuration in, an app out. Everything the server is made of is built
 * here and passed down explicitly; nothing below reaches for globals. `createCastellan` builds the
 * app (a fetch handler) without listening, so tests can drive the whole stack in-process;
 * `startCastellan` adds the Node listener.
 *
 * @example
 * ```ts
 * const server = await startCastellan(config);
 * console.log(server.url, server.bootstrap.rootAccessKeyId);
 * await server.close();
 * ```
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { loadIamDataCatalog, type IamDataCatalog } from './catalog/iam-data-catalog.js';
import { startWarnings, type ServerConfig } from './config/config.js';
import { loadOrCreateMasterKey, parseMasterKey } from './crypto/master-key.js';
import { closeEach } from './close-each.js';
import { SecretBox, SecretBoxError } from './crypto/secret-box.js';
import type { Clock, Ids } from './domain/context.js';
import { CryptoIds } from './domain/ids.js';
import type { Hono } from 'hono';
import { createApp, type PeerBindings } from './http/create-app.js';
import { createMetricsApp } from './http/metrics-app.js';
import { resetRefusal } from './http/reset-guard.js';
import { RequestMetrics } from './metrics/request-metrics.js';
import { startHttpServer, type HttpServerHandle } from './http/node-listener.js';
import { StoreAuditLog } from './audit/store-audit-log.js';
import { startExportSchedule, type ExportSchedule } from './audit/export/export-schedule.js';
import { deliversEventAt } from './services/cloudtrail/trail-logging.js';
import { selectsEvent, type SelectableRecord, type TrailEventSelectors } from './services/cloudtrail/event-selectors.js';
import { loadOrCreateSigningKey } from './audit/export/signing-key.js';
import { readDeliveryStatus } from './audit/export/delivery-status.js';
import { TRAIL_NAME, type TrailSettings } from './services/cloudtrail/account-trail.js';
import { DEFAULT_EXPORT_DIR } from './audit/open-audit-store.js';
import { OperationRegistry } from './pipeline/operation-registry.js';
import type { PipelineDeps } from './pipeline/request-pipeline.js';
import type { TransactionRunner } from './pipeline/transaction-runner.js';
import { IAM_OPERATIONS } from './protocol/query/operations/iam/iam-operations.js';
import { STS_OPERATIONS } from './protocol/query/operations/sts/sts-operations.js';
import { cloudTrailOperations } from './protocol/json/operations/cloudtrail/cloudtrail-operations.js';
import { CASTELLAN_OPERATIONS } from './protocol/json/operations/castellan/castellan-operations.js';
import { registerAuditQuarantineGauge } from './metrics/audit-quarantine-gauge.js';
import { registerAuditDroppedCounter } from './metrics/audit-dropped-counter.js';
import { registerAuditUnwrittenAgeGauge } from './metrics/audit-unwritten-age-gauge.js';
import { registerCacheGauges, registerUnreadablePolicyCounter } from './metrics/cache-gauges.js';
import { registerChangeFeedGauges } from './metrics/change-feed-gauges.js';
import { describePublicKey } from './audit/export/signing-key.js';
import { CompiledPolicyCache } from './services/authorization/compiled-policy-cache.js';
import { loadAwsManagedPolicies } from './services/iam/aws-managed-policies.js';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { BOOTSTRAP_ACCOUNT_META, bootstrapAccount, type BootstrapResult } from './services/bootstrap.js';
import { SigV4Authenticator } from './services/credentials/sigv4-authenticator.js';
import { ThrottlingAuthenticator } from './services/credentials/throttling-authenticator.js';
import { iamQuotas } from './domain/quotas.js';
import { RateLimiter } from './domain/rate-limiter.js';
import { StoreCredentialResolver } from './services/credentials/store-credential-resolver.js';
import { SessionCredentialResolver } from './services/credentials/session-credential-resolver.js';
import { SessionTokenCodec } from './services/credentials/session-token-codec.js';
import { AuthorizationMessageCodec } from './services/sts/authorization-message-codec.js';
import { PolicyAuthorizer } from './services/authorization/policy-authorizer.js';
import { SERVICE_TABLE, serviceEntry } from './protocol/service-table.js';
import { GLOBAL_SERVICE_REGION } from './pipeline/pipeline-service.js';
import { managementAccountId } from './services/accounts/hosted-accounts.js';
import { arnAccountId } from './domain/arn.js';
import { ServiceRequestAuthorizer } from './services/authorizer/service-request-authorizer.js';
import { buildConditionContext } from './pipeline/condition-context.js';
import type { Authorizer } from './domain/ports/authorizer.js';
import { ActionUseRecorder } from './services/authorization/action-use-recorder.js';
import type { FederationDeps, ServiceDeps } from './services/service-deps.js';
import { ConsoleSessionAuthenticator } from './services/credentials/console-session-authenticator.js';
import { UnsignedRequestAuthenticator } from './services/credentials/unsigned-request-authenticator.js';
import { OidcKeySets } from './services/credentials/oidc-key-sets.js';
import { WorkloadSecretAuthenticator } from './services/credentials/workload-secret-authenticator.js';
import { activeRegistration } from './services/workloads/workload-credentials.js';
import { ConsoleSessionCodec } from './services/console/console-session-codec.js';
import { SignInThrottle, type SignInThrottleOptions } from './services/console/sign-in-throttle.js';
import { SignedOutSessions } from './services/console/signed-out-sessions.js';
import { addConsoleSignInRoutes } from './http/console-sign-in-routes.js';
import { addConsoleAssetsRoute } from './http/console-assets-route.js';
import { createStore, type StoreConfig } from './store/create-store.js';
import { assertMasterKey } from './store/master-key-check.js';
import { nodesChangeFeed } from './store/open-change-feed.js';
import { PostgresChangeFeed } from './store/postgres/postgres-change-feed.js';
import { hostname } from 'node:os';
import type { ChangeFeed } from './domain/ports/change-feed.js';
import { LocalChangeFeed } from './store/local-change-feed.js';
import { publishingChanges } from './store/change-publishing-store.js';
import { CachingCredentialResolver } from './services/credentials/caching-credential-resolver.js';
import { AccountAliasCache } from './services/caching/account-alias-cache.js';
import { PrincipalPolicyCache } from './services/authorization/principal-policy-cache.js';
import { UserWithTagsCache } from './services/caching/user-with-tags-cache.js';
import type { Store } from './store/store.js';
import { atMostOncePerMinute } from './metrics/at-most-once-per-minute.js';
import { nodeHealth } from './http/health.js';

/** Things tests and embedders may replace; production uses the defaults. */
export interface StartOptions {
  /** PostgreSQL schema (tests isolate themselves in a fresh one). Default is `public`. */
  postgresSchema?: string;
  /** SQLite: how long a write waits for another process's write lock (`SqliteStoreOptions.busyTimeoutMs`). Default is 5000 ms. */
  sqliteBusyTimeoutMs?: number;
  logger?: Logger;
  clock?: Clock;
  ids?: Ids;
  /** Console sign-in: how long a session lasts (default 1 hour) and the failure throttles' settings. */
  console?: { sessionTtlMs?: number; perName?: SignInThrottleOptions; perAddress?: SignInThrottleOptions };
  /**
   * Where committed changes are published and the hot path's caches hear of them. Default is
   * {@link openChangeFeed}'s choice for the store. Castellan closes it on `close()`.
   */
  changeFeed?: ChangeFeed;
  /** The web console's built files (`@castellan/console`'s `dist/`), served under `/console/`; `castellan serve` passes them. Default: no console. */
  consoleDir?: string;
}

/**
 * The change feed for a store: PostgreSQL's `LISTEN/NOTIFY`, which also reaches every other node on
 * the schema, for `kind: 'postgres'`; in-process for SQLite, where one process owns the file.
 */
export function openChangeFeed(storeConfig: StoreConfig, logger: Logger): ChangeFeed {
  return (
    nodesChangeFeed(storeConfig, { onError: (err, context) => logger.warn({ err }, context) }) ??
    new LocalChangeFeed({ onError: (err) => logger.error({ err }, 'a cache failed to apply a change') })
  );
}

/** A built Castellan, not listening: its app is a plain fetch handler. */
export interface Castellan {
  /** `fetch(Request) → Response` (Hono's `app.request()` too); the Node listener's `env` carries the TCP peer. */
  app: Hono<{ Bindings: PeerBindings }>;
  /** `GET /metrics` (Prometheus) on its own, for a separate listener; `startCastellan` serves it only with `metricsPort`. */
  metricsApp: Hono;
  accountId: string;
  /** What bootstrap did: the root access key id, and its secret only when it was created now. */
  bootstrap: BootstrapResult;
  /** The current store (an ephemeral reset replaces it). */
  readonly store: Store;
  /**
   * What changed, for whoever caches store state in memory: on PostgreSQL, heard from every node
   * sharing the schema (`LISTEN/NOTIFY`); in-process on SQLite (one node).
   */
  readonly changes: ChangeFeed | undefined;
  /** Flushes batched audit and last-used data, stops the export schedule, closes the store. Idempotent. */
  close(): Promise<void>;
}

/** A running Castellan. */
export interface CastellanServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  /** `http://host:port` of the metrics listener, when `metricsPort` is set. */
  metricsUrl?: string;
  accountId: string;
  /** What bootstrap did: the root access key id, and its secret only when it was created now. */
  bootstrap: BootstrapResult;
  store: Store;
  /** The change feed of `createCastellan` (PostgreSQL: shared with every node on the schema). */
  changes: ChangeFeed | undefined;
  /** Graceful: stops accepting, finishes in-flight requests, flushes batched audit and last-used data, closes the store. */
  close(): Promise<void>;
}

/** The pieces that make up one store-backed instance (rebuilt by an ephemeral reset). */
interface Instance {
  store: Store;
  audit: StoreAuditLog<ServiceDeps>;
  credentials: StoreCredentialResolver;
  /** Last-accessed data: notes what IAM users and roles were allowed to do, written in batches. */
  actionUses: ActionUseRecorder;
  /** The policy authorizer wrapped by `actionUses`. */
  authorizer: Authorizer;
  /** The same, unwrapped: for questions that are not uses (castellan:GetCallerPermissions). */
  policyAuthorizer: Authorizer;
  deps: ServiceDeps;
  bootstrap: BootstrapResult;
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() };

/** Builds the Castellan described by `config`: store, services, pipeline and app, without listening. */
/**
 * For a database from before the master key check: whether this key opens the secret of the bootstrap
 * account's root access key (sealed with the deployment's key). `true` when there is nothing to open
 * (a new database, a keyless root): the key cannot be told wrong.
 */
async function opensRootKeySecret(store: Store): Promise<boolean> {
  const accountId = await store.getMeta(BOOTSTRAP_ACCOUNT_META);
  if (!accountId) return true;
  const [key] = (await store.listAccessKeys({ accountId, owner: { kind: 'root' }, maxItems: 1 })).items;
  if (!key) return true;
  try {
    await store.getAccessKeyWithSecret(key.accessKeyId);
    return true;
  } catch (err) {
    if (err instanceof SecretBoxError) return false;
    throw err;
  }
}

export async function createCastellan(config: ServerConfig, options: StartOptions = {}): Promise<Castellan> {
  const logger = options.logger ?? pino({ level: config.logLevel, redact: { paths: ['*.secretAccessKey', '*.password', '*.sessionToken'], censor: '[redacted]' } });
  for (const warning of startWarnings(config)) logger.warn(warning);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const ids = options.ids ?? new CryptoIds();
  const dataDir = resolve(config.dataDir);
  if (!config.ephemeral) await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const masterKey = config.masterKey
    ? parseMasterKey(config.masterKey, 'masterKey')
    : config.ephemeral
      ? Buffer.from(ids.randomBytes(32))
      : (await loadOrCreateMasterKey(dataDir, {})).key;
  const secretBox = new SecretBox(masterKey);
  const sessionTokens = new SessionTokenCodec(masterKey);
  const authorizationMessages = new AuthorizationMessageCodec(masterKey);
  // Identity providers' keys are fetched and cached once per process, for every instance.
  const federation: FederationDeps = {
    oidcKeys: new OidcKeySets({
      allowHttpLoopback: config.oidcAllowHttpLoopback,
      network: {
        allow: config.oidcAllowNetwork,
        // The caller only hears IDPCommunicationError; the operator learns why here.
        onRefusal: (refusal) => logger.warn(refusal, 'an OpenID Connect fetch was refused: the issuer resolves to an internal address (--oidc-allow-network permits it)'),
      },
    }),
    allowHttpLoopbackIssuers: config.oidcAllowHttpLoopback,
    samlAudiences: config.samlAudiences,
  };
  // AWS's catalogue and managed policies load once per process, before the first request needs them.
  const [catalog, awsManagedPolicies] = await Promise.all([loadIamDataCatalog(), loadAwsManagedPolicies()]);

  const storeConfig: StoreConfig = config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, timeoutMs: config.databaseTimeoutSeconds * 1000, ...(options.postgresSchema ? { schema: options.postgresSchema } : {}) }
    : { kind: 'sqlite', filename: config.ephemeral ? ':memory:' : join(dataDir, 'castellan.db'), ...(options.sqliteBusyTimeoutMs !== undefined ? { busyTimeoutMs: options.sqliteBusyTimeoutMs } : {}) };

  // Compiled policies are keyed by content, so one cache serves every instance and request.
  const policyCache = new CompiledPolicyCache({
    onUnreadable: (source, problem) => logger.warn({ policyKind: source.kind, policyId: source.policyId, problem }, 'a stored policy cannot be evaluated: it denies everything'),
  });
  const quotas = iamQuotas(config.quotas);
  // The hot path's caches (access keys, principals with their policies) hear every committed change
  // on the feed; the store publishes them (store/change-publishing-store.ts). On PostgreSQL, changes
  // committed by any node sharing the schema arrive within a second.
  const changeFeed = options.changeFeed ?? openChangeFeed(storeConfig, logger);
  const principalCache = new PrincipalPolicyCache({ maxEntries: config.principalCacheSize });
  // IAM users named by calls (GetUser's answer, a call's target), as many as principals; read
  // from the current instance's store, never through a transaction.
  const userReads = new UserWithTagsCache(() => instance.store, { maxEntries: config.principalCacheSize });
  const signingKey = config.ephemeral ? undefined : await loadOrCreateSigningKey(dataDir);
  const publicKey = signingKey
    ? describePublicKey(signingKey.publicKey, signingKey.createdAt)
    : describePublicKey(generateKeyPairSync('ed25519').publicKey, clock.now());

  /** The identity an ephemeral reset keeps: the first start's account and root key. */
  let resetIdentity: { accountId: string; rootAccessKeyId: string; rootSecretAccessKey: string } | undefined;

  const openInstance = async (): Promise<Instance> => {
    const store = publishingChanges(
      await createStore(storeConfig, { secretBox, onIdleError: (err: Error) => logger.error({ err }, 'idle database connection failed') }),
      changeFeed,
      { onPublishError: (err, changes) => logger.error({ err, changes }, 'publishing committed changes failed: caches may serve them late') },
    );
    // A node holding another master key must not use the database (see store/master-key-check.ts).
    try {
      await assertMasterKey(store, masterKey, { writeIfMissing: true, opensSecrets: () => opensRootKeySecret(store) });
    } catch (err) {
      await store.close();
      throw err;
    }
    const deps: ServiceDeps = { store, ids, catalog, awsManagedPolicies, policyCache, sessionTokens, authorizationMessages, quotas, federation };
    const bootstrap = await bootstrapAccount(deps, {
      now: clock.now(),
      ...(config.accountId ? { accountId: config.accountId } : {}),
      ...(config.rootAccessKeyId && config.rootSecretAccessKey ? { rootAccessKeyId: config.rootAccessKeyId, rootSecretAccessKey: config.rootSecretAccessKey } : {}),
      ...resetIdentity,
    });
    if (config.ephemeral && !resetIdentity) {
      const rootSecretAccessKey = bootstrap.rootSecretAccessKey ?? config.rootSecretAccessKey;
      if (rootSecretAccessKey && bootstrap.rootAccessKeyId) resetIdentity = { accountId: bootstrap.accountId, rootAccessKeyId: bootstrap.rootAccessKeyId, rootSecretAccessKey };
    }
    const audit = new StoreAuditLog<ServiceDeps>({
      store,
      transactionStore: (d) => d.store,
      flushIntervalMs: config.auditFlushMs,
      maxBatch: config.auditBatchSize,
      // The same clock /healthz measures the failure's age with.
      now: () => clock.now().getTime(),
      onError: atMostOncePerMinute((err, info, notLogged) => logger.error({ err, ...info, ...(notLogged > 0 ? { failuresNotLogged: notLogged } : {}) }, 'audit flush failed (the events stay queued; while it keeps failing, logged at most once a minute)')),
      // One line per flush interval at most, with the sum of the drops since the last.
      onDrop: (info) => logger.error(info, 'audit events dropped: the batched backlog went past its bound (the store is slower than the events, or failing)'),
      onQuarantine: (err, { eventId, accountId, eventName, eventTime, quarantined }) =>
        logger.error({ err, eventId, accountId, eventName, eventTime, quarantined }, 'audit event quarantined: the store refused it'),
    });
    const credentials = new StoreCredentialResolver(store, { onError: atMostOncePerMinute((err, _info: void, notLogged) => logger.error({ err, ...(notLogged > 0 ? { failuresNotLogged: notLogged } : {}) }, 'recording access key use failed')) });
    const actionUses = new ActionUseRecorder(store, catalog, { onError: atMostOncePerMinute((err, _info: void, notLogged) => logger.error({ err, ...(notLogged > 0 ? { failuresNotLogged: notLogged } : {}) }, 'recording last-accessed data failed')) });
    const policyAuthorizer = new PolicyAuthorizer({ store, catalog, awsManagedPolicies, policyCache, authorizationMessages, principalCache });
    const authorizer = actionUses.around(policyAuthorizer);
    return { store, audit, credentials, actionUses, authorizer, policyAuthorizer, deps, bootstrap };
  };
  const closeInstance = (i: Instance): Promise<void> =>
    closeEach([() => i.audit.close(), () => i.credentials.close(), () => i.actionUses.close(), () => i.store.close()]);

  let instance = await openInstance().catch(async (err: unknown) => {
    await changeFeed.close();
    throw err;
  });
  try {
    // The platform's standing is the operator's to give, and only to the management account's own
    // users and roles: a listed ARN of another account is a mistake to stop at, not to ignore.
    if (config.platformPrincipals.length > 0) {
      const management = await managementAccountId(instance.store);
      const outside = config.platformPrincipals.filter((arn) => arnAccountId(arn) !== management);
      if (outside.length > 0) {
        throw new Error(`platformPrincipals: ${outside.map((arn) => `\`${arn}\``).join(', ')} ${outside.length === 1 ? 'is not a principal' : 'are not principals'} of the management account ${management ?? '(none)'}: only its IAM users and roles can have the platform standing`);
      }
      logger.info({ platformPrincipals: config.platformPrincipals }, 'the services of these principals have the platform standing: trusted with the clients of every account');
    }
    // Every account's one trail (services/cloudtrail/account-trail.ts): its deliveries are the export folder's.
    const exportDir = join(dataDir, DEFAULT_EXPORT_DIR);
    const trail: TrailSettings = {
      homeRegion: config.region,
      logFileValidation: signingKey !== undefined,
      deliveries: (accountId) => (signingKey ? readDeliveryStatus(exportDir, accountId) : Promise.resolve({})),
    };
    const registry = new OperationRegistry<ServiceDeps>().register(...IAM_OPERATIONS, ...STS_OPERATIONS, ...cloudTrailOperations({ publicKey, trail }), ...CASTELLAN_OPERATIONS);

    // The pipeline gets stable objects that forward to the current instance, so an ephemeral
    // reset can swap the store underneath without rebuilding the app.
    const liveDeps: ServiceDeps = {
      get store() {
        return instance.store;
      },
      ids,
      catalog,
      awsManagedPolicies,
      policyCache,
      sessionTokens,
      authorizationMessages,
      quotas,
      federation,
      userReads,
    };
    const transactions: TransactionRunner<ServiceDeps> = {
      run: (fn) => instance.store.transaction((tx) => fn({ ...instance.deps, store: tx })),
    };
    // Temporary credentials are resolved from their sealed token; long-term keys from the store,
    // through the cache of access keys.
    const accessKeys = new CachingCredentialResolver({
      resolve: (id, token) => instance.credentials.resolve(id, token),
      recordUse: (id, use) => instance.credentials.recordUse(id, use),
    }, { maxEntries: config.accessKeyCacheSize });
    // Root's alias for principals not built from a cached key (root's console and GetSessionToken sessions).
    const accountAliases = new AccountAliasCache(() => instance.store, { maxEntries: config.accessKeyCacheSize });
    const unsubscribe = changeFeed.subscribe((change) => {
      accessKeys.forget(change);
      accountAliases.forget(change);
      principalCache.forget(change);
      userReads.forget(change);
    });
    const sessions = new SessionCredentialResolver(sessionTokens, accessKeys, {
      maxEntries: config.sessionCacheSize,
      accountAlias: (accountId) => accountAliases.alias(accountId),
    });
    const sigv4 = new SigV4Authenticator({
      resolve: (id, token, at) => sessions.resolve(id, token, at),
      // A key last used with IAM was used in us-east-1, as on AWS, whatever region the client signed for.
      recordUse: (id, use) => sessions.recordUse(id, serviceEntry(use.service)?.global ? { ...use, region: GLOBAL_SERVICE_REGION } : use),
    });
    // A caller's questions about its own permissions: the engine, without recording last access.
    liveDeps.permissionChecks = { authorize: (ctx, req) => instance.policyAuthorizer.authorize(ctx, req) };
    // Other services' requests (castellan:AuthorizeRequest): the same resolver, authorizer and trail.
    liveDeps.serviceRequests = new ServiceRequestAuthorizer({
      credentials: { resolve: (id, token, at) => sessions.resolve(id, token, at), recordUse: (id, use) => sessions.recordUse(id, use) },
      authorizer: { authorize: (ctx, req) => instance.authorizer.authorize(ctx, req) },
      audit: { record: (event) => instance.audit.record(event) },
      ids,
      policies: liveDeps,
      globalConditionKeys: buildConditionContext,
      reservedServices: [...Object.keys(SERVICE_TABLE), 'signin'],
      managementAccount: () => managementAccountId(instance.store),
      platformPrincipals: config.platformPrincipals,
    });
    const authenticator = config.rateLimitPerKey > 0 ? new ThrottlingAuthenticator(sigv4, new RateLimiter({ perSecond: config.rateLimitPerKey })) : sigv4;
    // Console sessions: sealed cookies, checked by their own authenticator, then the same pipeline.
    const consoleSessions = new ConsoleSessionCodec(masterKey);
    // Sign-outs and failure counts live in the store, so every node of a deployment sees the same.
    const signedOut = new SignedOutSessions(() => instance.store);
    const consoleAuthenticator = new ConsoleSessionAuthenticator({
      codec: consoleSessions,
      isSignedOut: (id, now) => signedOut.has(id, now),
      getUserById: (id) => instance.store.getUserById(id),
      rootHasPassword: async (accountId) => (await instance.store.getRootPasswordHash(accountId)) !== undefined,
      accountAlias: (accountId) => accountAliases.alias(accountId),
    });
    // `castellan agent`'s exchange: a workload's bootstrap secret, for castellan:GetWorkloadCredentials only.
    const workloadAuthenticator = new WorkloadSecretAuthenticator({ activeRegistration: (secret) => activeRegistration({ store: instance.store }, secret) });
    const metrics = new RequestMetrics();
    registerAuditQuarantineGauge(metrics.registry, () => instance.audit.quarantinedCount);
    registerAuditDroppedCounter(metrics.registry, () => instance.audit.droppedCount);
    registerAuditUnwrittenAgeGauge(metrics.registry, () => instance.audit.unwrittenAgeMs);
    registerCacheGauges(metrics.registry, { access_keys: accessKeys, principals: principalCache, users: userReads, sessions });
    registerUnreadablePolicyCounter(metrics.registry, () => policyCache.unreadableCount);
    if (changeFeed instanceof PostgresChangeFeed) registerChangeFeedGauges(metrics.registry, changeFeed);
    const pipelineDeps: PipelineDeps<ServiceDeps> = {
      // The workload authenticator first: it recognizes only `Bearer cwls_…`, which SigV4's would claim.
      // Unsigned requests last: only AssumeRoleWithWebIdentity/SAML accept them (their token is the proof).
      authenticators: [workloadAuthenticator, authenticator, consoleAuthenticator, new UnsignedRequestAuthenticator()],
      authorizer: { authorize: (ctx, req) => instance.authorizer.authorize(ctx, req) },
      transactions,
      audit: {
        record: (event) => instance.audit.record(event),
        recordInTransaction: (event, deps) => instance.audit.recordInTransaction(event, deps),
      },
      operations: registry,
      operationDeps: liveDeps,
      clock,
      ids,
      defaultAccountId: instance.bootstrap.accountId,
      defaultRegion: config.region,
      logger,
    };
    const app = createApp<ServiceDeps>({
      ...pipelineDeps,
      metrics,
      ...(config.rateLimitPerAddress > 0 ? { addressLimiter: new RateLimiter({ perSecond: config.rateLimitPerAddress }) } : {}),
      trustedProxies: config.trustedProxies,
      health: () => nodeHealth({
        ping: () => instance.store.getAccount(instance.bootstrap.accountId),
        auditWriteFailure: () => instance.audit.writeFailure,
        degradedAfterMs: config.healthAuditFailureSeconds * 1000,
        now: () => clock.now().getTime(),
      }),
      ...(options.consoleDir ? { browserHome: '/console/' } : {}),
    });
    if (options.consoleDir) addConsoleAssetsRoute(app, options.consoleDir);

    addConsoleSignInRoutes(app, {
      signIn: {
        get store() {
          return instance.store;
        },
        ids,
        codec: consoleSessions,
        // A sign-in that changes what is stored writes its event in its transaction, as the pipeline does.
        audit: { record: (event) => instance.audit.record(event), recordInTransaction: (event, tx) => instance.audit.recordInTransaction(event, { ...instance.deps, store: tx }) },
        names: new SignInThrottle(() => instance.store, 'sign-in-name', options.console?.perName),
        // An address may be shared (an office behind NAT): no slow-down, and more room than one name before its lock.
        addresses: new SignInThrottle(() => instance.store, 'sign-in-address', { maxFailures: 20, freeFailures: 20, ...options.console?.perAddress }),
        sessionTtlMs: options.console?.sessionTtlMs ?? 60 * 60_000,
        defaultAccountId: instance.bootstrap.accountId,
        region: config.region,
      },
      signedOut,
      clock,
      trustedProxies: config.trustedProxies,
      ...(config.consoleOrigin !== undefined ? { consoleOrigin: config.consoleOrigin } : {}),
      pipeline: pipelineDeps,
    });

    if (config.ephemeral) {
      // Test suites start every test clean: same account id and root credentials, empty otherwise.
      let resetting: Promise<void> | undefined;
      app.post('/_castellan/reset', async (c) => {
        const refusal = resetRefusal(c.req.raw);
        if (refusal) return c.json({ reset: false, message: refusal }, 403);
        while (resetting) await resetting;
        resetting = (async () => {
          const old = instance;
          instance = await openInstance();
          await closeInstance(old);
          // Same account and root key, nothing else: no cached key or principal may survive.
          await changeFeed.publish([{ scope: 'everything' }]);
        })();
        try {
          await resetting;
        } finally {
          resetting = undefined;
        }
        return c.json({ reset: true, accountId: instance.bootstrap.accountId });
      });
    }

    let schedule: ExportSchedule | undefined;
    if (config.trailExportMinutes > 0 && signingKey) {
      schedule = startExportSchedule({
        store: instance.store,
        exportDir,
        signingKey,
        // Digest names carry the trail's name and home region, as GetTrail reports them,
        // and each account's trail delivers only what it logged (StopLogging stops its deliveries) and its selectors select.
        exportOptions: {
          trailName: TRAIL_NAME,
          homeRegion: config.region,
          deliveryFilter: async (accountId) => {
            const state = await instance.store.getAccountTrail(accountId);
            const selectors = state?.eventSelectorsJson === undefined ? undefined : (JSON.parse(state.eventSelectorsJson) as TrailEventSelectors);
            // The record is parsed only for an account whose trail has selectors.
            return (row) => deliversEventAt(state, row.eventTime) && (!selectors || selectsEvent(selectors, JSON.parse(row.recordJson) as SelectableRecord));
          },
        },
        clock,
        intervalMs: config.trailExportMinutes * 60_000,
        ...(config.auditRetentionDays !== undefined ? { retentionDays: config.auditRetentionDays } : {}),
        // Nodes sharing a database take turns through a lease; one node alone always holds it.
        lease: { store: instance.store, holder: `${hostname()}:${process.pid}:${randomUUID()}` },
        onError: (err) => logger.error({ err }, 'trail export failed'),
      });
    }

    let closing: Promise<void> | undefined;
    return {
      app,
      metricsApp: createMetricsApp(metrics),
      accountId: instance.bootstrap.accountId,
      bootstrap: instance.bootstrap,
      get store() {
        return instance.store;
      },
      changes: changeFeed,
      close: () =>
        (closing ??= closeEach([
          // Batched audit events and last-used data are flushed before the final export reads them.
          () => instance.audit.close(),
          () => instance.credentials.close(),
          () => instance.actionUses.close(),
          async () => schedule?.stop(),
          () => instance.store.close(),
          async () => unsubscribe(),
          () => changeFeed.close(),
        ])),
    };
  } catch (err) {
    await closeInstance(instance);
    await changeFeed.close();
    throw err;
  }
}

/** Starts the server described by `config`: {@link createCastellan}, then a Node listener on `config.host`/`config.port`. */
export async function startCastellan(config: ServerConfig, options: StartOptions = {}): Promise<CastellanServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, redact: { paths: ['*.secretAccessKey', '*.password', '*.sessionToken'], censor: '[redacted]' } });
  const castellan = await createCastellan(config, { ...options, logger });
  let http: HttpServerHandle;
  let metricsHttp: HttpServerHandle | undefined;
  try {
    http = await startHttpServer(castellan.app, { host: config.host, port: config.port });
    if (config.metricsPort !== undefined) {
      try {
        metricsHttp = await startHttpServer(castellan.metricsApp, { host: config.metricsHost, port: config.metricsPort });
      } catch (err) {
        await http.close({ forceAfterMs: 0 });
        throw err;
      }
    }
  } catch (err) {
    await castellan.close();
    throw err;
  }
  logger.info({ url: http.url, accountId: castellan.accountId, storage: config.databaseUrl ? 'postgres' : 'sqlite', ephemeral: config.ephemeral }, 'castellan listening');

  let closing: Promise<void> | undefined;
  return {
    url: http.url,
    port: http.port,
    ...(metricsHttp ? { metricsUrl: metricsHttp.url } : {}),
    accountId: castellan.accountId,
    bootstrap: castellan.bootstrap,
    get store() {
      return castellan.store;
    },
    changes: castellan.changes,
    close: () =>
      (closing ??= (async () => {
        await Promise.all([http.close({ forceAfterMs: 10_000 }), metricsHttp?.close({ forceAfterMs: 1_000 })]);
        try {
          await castellan.close();
        } catch (err) {
          logger.error({ err }, 'castellan stopped, but its batched audit records or last-used data could not all be written');
          throw err;
        }
        logger.info('castellan stopped');
      })()),
  };
}

export type { IamDataCatalog };
