/**
 * Starts the real Castellan (the composition root `startCastellan`, a real store, the Node
 * listener on a random port) for end-to-end tests, on the database the e2e project runs against:
 * `CASTELLAN_E2E_DIALECT` = `sqlite` (default, a temporary data folder) or `postgres` (a fresh
 * schema at CASTELLAN_TEST_POSTGRES_URL, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { resolveConfig, startCastellan, type CastellanServer, type ConfigSource, type ServerConfig, type StartOptions } from '@castellan/server';
import { iamClient, stsClient, cloudTrailClient, type StaticCredentials } from './aws-clients.js';
import { dropSchema, E2E_POSTGRES_URL } from './postgres.js';

/**
 * Asks an ephemeral server at `url` to reset itself, with the header the reset endpoint requires
 * (the URL must name a loopback address, as the e2e servers' URLs do).
 */
export function resetCastellan(url: string): Promise<Response> {
  return fetch(`${url}/_castellan/reset`, { method: 'POST', headers: { 'X-Castellan-Reset': '1' } });
}

/** The e2e database: `sqlite` or `postgres`. */
export const E2E_DIALECT: 'sqlite' | 'postgres' = process.env['CASTELLAN_E2E_DIALECT'] === 'postgres' ? 'postgres' : 'sqlite';

/** Fixed root credentials of e2e servers (MinIO-style bootstrap). */
export const E2E_ROOT: StaticCredentials = { accessKeyId: 'AKIAE2EROOT000000001', secretAccessKey: 'e2e-root-secret-0123456789abcdefghijklmn' };
/** The account of e2e servers. */
export const E2E_ACCOUNT_ID = '123456789012';

/** A running test server, its clients and how to restart or dispose of it. */
export interface TestCastellan {
  server: CastellanServer;
  url: string;
  config: ServerConfig;
  root: StaticCredentials;
  /** The PostgreSQL schema of the server's store, when it runs on PostgreSQL. */
  postgresSchema?: string;
  iam(credentials?: StaticCredentials): ReturnType<typeof iamClient>;
  sts(credentials?: StaticCredentials): ReturnType<typeof stsClient>;
  cloudTrail(credentials?: StaticCredentials): ReturnType<typeof cloudTrailClient>;
  /** Stops the server and starts it again on the same data (and the same port). */
  restart(): Promise<void>;
  /** Stops the server and deletes its data. */
  dispose(): Promise<void>;
}

/** Starts a server; `settings` override the test defaults, `options` may inject a clock. */
export async function startTestCastellan(settings: ConfigSource = {}, options: Pick<StartOptions, 'clock' | 'consoleDir'> = {}): Promise<TestCastellan> {
  const dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-'));
  let schema: string | undefined;
  if (E2E_DIALECT === 'postgres' && settings.ephemeral !== true) {
    schema = `e2e_${randomBytes(6).toString('hex')}`;
  }
  const resolved = resolveConfig([
    settings,
    {
      host: '127.0.0.1',
      port: 0,
      dataDir,
      accountId: E2E_ACCOUNT_ID,
      rootAccessKeyId: E2E_ROOT.accessKeyId,
      rootSecretAccessKey: E2E_ROOT.secretAccessKey,
      logLevel: 'silent',
      trailExportMinutes: 0,
      ...(schema ? { databaseUrl: E2E_POSTGRES_URL } : {}),
    },
  ]);
  if (!resolved.ok) throw new Error(`bad test config: ${JSON.stringify(resolved.problems)}`);
  let config = resolved.config;
  const start = () => startCastellan(config, { ...options, logger: pino({ level: 'silent' }), ...(schema ? { postgresSchema: schema } : {}) });
  let server = await start();
  config = { ...config, port: server.port };
  const t: TestCastellan = {
    get server() {
      return server;
    },
    get url() {
      return server.url;
    },
    config,
    root: E2E_ROOT,
    ...(schema ? { postgresSchema: schema } : {}),
    iam: (c = E2E_ROOT) => iamClient(server.url, c),
    sts: (c = E2E_ROOT) => stsClient(server.url, c),
    cloudTrail: (c = E2E_ROOT) => cloudTrailClient(server.url, c),
    async restart() {
      await server.close();
      server = await start();
    },
    async dispose() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    },
  };
  return t;
}
