// The server the list profilers (`profile-lists.js`, `perf-lists.js`) read pages from: `castellan serve`
// as the account's root, on SQLite in `dir` or in a fresh PostgreSQL schema, with `rows` users and
// `rows` customer managed policies seeded; `stop()` removes the schema too.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startCastellanProcess } from './processes.js';
import { ACCOUNT_ID, POSTGRES_URL, ROOT, withPostgresAdmin } from './run-support.js';
import { seedScale } from './seed-scale.js';

export async function startListsServer({ dir, dialect, rows, nodeArgs = [] }) {
  const masterKey = randomBytes(32);
  let schema;
  let env = { CASTELLAN_DATA_DIR: dir };
  let storeConfig = { kind: 'sqlite', filename: join(dir, 'castellan.db') };
  if (dialect === 'postgres') {
    schema = `castellan_lists_${randomBytes(6).toString('hex')}`;
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('schema', schema);
    env = { ...env, CASTELLAN_DATABASE_URL: url.toString() };
    storeConfig = { kind: 'postgres', url: url.toString(), maxConnections: 4 };
  }
  const dropSchema = () => (schema ? withPostgresAdmin((c) => c.query(`drop schema if exists "${schema}" cascade`)) : undefined);
  const server = await startCastellanProcess({
    ...env, CASTELLAN_ACCOUNT_ID: ACCOUNT_ID, CASTELLAN_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    CASTELLAN_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey, CASTELLAN_MASTER_KEY: masterKey.toString('hex'),
    CASTELLAN_RATE_LIMIT_PER_KEY: '0', CASTELLAN_RATE_LIMIT_PER_ADDRESS: '0', CASTELLAN_TRAIL_EXPORT_MINUTES: '0',
    CASTELLAN_LOG_LEVEL: 'warn',
  }, nodeArgs).catch(async (err) => { await dropSchema(); throw err; });
  const stop = async () => { await server.stop(); await dropSchema(); };
  try {
    await seedScale({ storeConfig, masterKey, accountId: ACCOUNT_ID, users: rows, policies: rows, events: 0, idBase: 1e9 });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: server.url, pid: server.pid, stop };
}
