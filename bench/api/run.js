// `npm run bench:api [-- --duration 5 --dialects sqlite,postgres --scale]`: the API's hot path
// (issue 11), measured over HTTP. Castellan runs as `castellan serve` from the built packages in
// a child process, on SQLite in a temporary data folder and on PostgreSQL in a fresh schema; the
// peer, in the same run, is a bare Node `http` server answering a fixed XML body. Both are driven
// by autocannon in a third process with SigV4-signed requests (signed again before every case, so
// the X-Amz-Date stays within the 15-minute skew; autocannon replays one request, which SigV4
// allows). Prints a table; the last line is one JSON object.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_USER, OTHER_USER, setUpAccount } from './account-setup.js';
import { ACCOUNT_ID, fmt, POSTGRES_URL, positiveArg, ROOT, runCleanups, withPostgresAdmin } from './run-support.js';
import { cpuSeconds, rssBytes, runLoad, startBarePeer, startCastellanProcess } from './processes.js';
import { printScale, runScale, scaleSummary } from './scale-run.js';
import { signedCloudTrail, signedQuery } from './sign-request.js';
import { dialectSummary, ratio, round, summarize } from './stats.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    scale: { type: 'boolean', default: false },
    'scale-users': { type: 'string', default: '100000' },
    'scale-policies': { type: 'string', default: '20000' },
    'scale-events': { type: 'string', default: '1000000' },
  },
});
const positive = (name) => positiveArg(args, name);
const DURATION = positive('duration');
const DIALECTS = args.dialects.split(',').map((d) => d.trim()).filter(Boolean);
for (const d of DIALECTS) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`--dialects: unknown dialect \`${d}\``);
const SCALE = args.scale ? { users: positive('scale-users'), policies: positive('scale-policies'), events: positive('scale-events') } : undefined;

// Cleanup runs on success, failure and Ctrl-C alike: servers, temporary folders and schemas never stay.
const { register, runMain } = runCleanups("stopping the benchmark's servers and removing its databases");

const mb = (bytes) => (bytes === null ? null : Math.round(bytes / 1e6));

/** The pid of the server behind each URL, so a case can report the server's CPU time per request. */
const serverPids = new Map();

/**
 * Runs one case and returns its row; `sign` builds the request now (a fresh X-Amz-Date). The row's
 * `cpuMicrosPerRequest` is the server process's CPU time over the requests it answered: unlike
 * requests/s it hardly moves when other processes share the machine's cores.
 */
async function measure(label, target, url, connections, sign, expectedClass = '2xx', seconds = DURATION) {
  const host = new URL(url).host;
  const spec = { url, connections, durationSeconds: seconds, ...sign(host) };
  console.error(`  ${target}: ${label} (${connections} connections, ${seconds} s)`);
  const pid = serverPids.get(url);
  const cpuBefore = pid ? await cpuSeconds(pid) : null;
  const summary = summarize(await runLoad(spec, register), expectedClass);
  const cpuAfter = pid ? await cpuSeconds(pid) : null;
  const cpuMicrosPerRequest = cpuBefore === null || cpuAfter === null || summary.requests === 0 ? null : ((cpuAfter - cpuBefore) * 1e6) / summary.requests;
  const row = { label, target, connections, ...summary, cpuMicrosPerRequest };
  if (row.unexpected > 0 || row.errors > 0) console.error(`    ${row.unexpected} answers outside ${expectedClass}, ${row.errors} errors/timeouts`);
  return row;
}

const query = (service, action, params, credentials) => (host) => ({ request: signedQuery({ host, service, action, params, credentials, date: new Date() }) });

/** Asks for a session token; answers the temporary credentials, or `undefined` when STS does not issue them. */
async function sessionCredentials(url, credentials) {
  const req = signedQuery({ host: new URL(url).host, service: 'sts', action: 'GetSessionToken', params: { DurationSeconds: 3600 }, credentials, date: new Date() });
  const { host: _host, ...headers } = req.headers;
  const res = await fetch(url, { method: 'POST', headers, body: req.body });
  const text = await res.text();
  if (res.status !== 200) return undefined;
  const field = (name) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(text)?.[1];
  return { accessKeyId: field('AccessKeyId'), secretAccessKey: field('SecretAccessKey'), sessionToken: field('SessionToken') };
}

/** Where one dialect's server keeps its data, and how to remove it afterwards. */
async function prepareDatabase(dialect) {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'castellan-bench-api-'));
    return {
      env: { CASTELLAN_DATA_DIR: dir },
      storeConfig: { kind: 'sqlite', filename: join(dir, 'castellan.db') },
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'castellan-bench-api-'));
  const schema = `castellan_bench_${randomBytes(6).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', schema);
  await withPostgresAdmin(async () => {}); // fails the run at once when PostgreSQL is unreachable
  return {
    env: { CASTELLAN_DATA_DIR: dir, CASTELLAN_DATABASE_URL: url.toString() },
    storeConfig: { kind: 'postgres', url: url.toString(), maxConnections: 4 },
    async dispose() {
      await withPostgresAdmin((c) => c.query(`drop schema if exists "${schema}" cascade`));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function runDialect(dialect) {
  const db = await prepareDatabase(dialect);
  const disposeDb = register(db.dispose);
  const masterKey = randomBytes(32);
  const server = await startCastellanProcess({
    ...db.env,
    CASTELLAN_ACCOUNT_ID: ACCOUNT_ID,
    CASTELLAN_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    CASTELLAN_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
    CASTELLAN_MASTER_KEY: masterKey.toString('hex'),
    // The benchmark is one client with one key: Castellan's own rate limits would measure themselves.
    CASTELLAN_RATE_LIMIT_PER_KEY: '0',
    CASTELLAN_RATE_LIMIT_PER_ADDRESS: '0',
    // No periodic export of the trail to files in the middle of a case.
    CASTELLAN_TRAIL_EXPORT_MINUTES: '0',
    CASTELLAN_LOG_LEVEL: 'warn',
    // A deployment of this size raises AWS's default quotas (README "Configuration").
    ...(SCALE ? { CASTELLAN_QUOTAS: `usersPerAccount=${SCALE.users + 100},customerManagedPoliciesPerAccount=${SCALE.policies + 100}` } : {}),
  });
  const stopServer = register(server.stop);
  serverPids.set(server.url, server.pid);
  const t = `castellan/${dialect}`;
  const rows = {};
  let scale;
  const rss = {};
  let session;
  try {
    console.error(`${dialect}: castellan serve at ${server.url} (pid ${server.pid}); setting up the account`);
    const user = await setUpAccount(server.url, ROOT, ACCOUNT_ID);
    session = await sessionCredentials(server.url, user);
    // Warm-up: the first calls load catalogues, compile policies and prepare statements.
    // Each path gets its own: the first case measured otherwise pays for optimizing the code it runs.
    await measure('warm-up', t, server.url, 4, query('sts', 'GetCallerIdentity', {}, user), '2xx', 2);
    await measure('warm-up', t, server.url, 4, query('iam', 'GetUser', { UserName: BENCH_USER }, user), '2xx', 1);
    await measure('warm-up', t, server.url, 4, query('iam', 'GetUser', { UserName: OTHER_USER }, user), '4xx', 1);

    for (const c of [32, 4]) rows[`GetCallerIdentity ${c}c`] = await measure(`GetCallerIdentity ${c}c`, t, server.url, c, query('sts', 'GetCallerIdentity', {}, user));
    if (session) {
      for (const c of [32, 4]) rows[`GetCallerIdentity (session) ${c}c`] = await measure(`GetCallerIdentity (session) ${c}c`, t, server.url, c, query('sts', 'GetCallerIdentity', {}, session));
    } else {
      console.error('  session-token GetCallerIdentity: not measured (STS not built: GetSessionToken did not answer 200)');
    }
    for (const c of [32, 4]) rows[`GetUser ${c}c`] = await measure(`GetUser ${c}c`, t, server.url, c, query('iam', 'GetUser', { UserName: BENCH_USER }, user));
    for (const c of [32, 4]) rows[`GetUser denied ${c}c`] = await measure(`GetUser denied ${c}c`, t, server.url, c, query('iam', 'GetUser', { UserName: OTHER_USER }, user), '4xx');
    rows['TagUser 4c'] = await measure('TagUser 4c', t, server.url, 4, () => ({ tagUser: { userName: BENCH_USER, credentials: user, region: 'us-east-1' } }));
    rss.afterHotPath = await rssBytes(server.pid);

    if (SCALE) {
      console.error(`${dialect}: --scale`);
      scale = await runScale({
        db, masterKey, scale: SCALE, empty: { credentials: ROOT, userName: BENCH_USER },
        measure: (label, sign, seconds) => measure(label, t, server.url, 4, sign, '2xx', seconds),
        seconds: Math.max(1, Math.round(DURATION / 2)), rpsOf: (row) => row.requestsPerSecond, rssNow: () => rssBytes(server.pid),
      });
    }
  } finally {
    stopServer();
    await server.stop();
    disposeDb();
    await db.dispose();
  }
  return { dialect, target: t, rows, scale, rss, sessionMeasured: Boolean(session) };
}

function printTable(bare, honoPeer, results) {
  console.log('');
  console.log(`${'case'.padEnd(34)} ${'target'.padEnd(18)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'÷ bare'.padStart(7)} ${'CPU µs/req'.padStart(10)} ${'bare÷CPU'.padStart(8)}`);
  const pct = (x) => (x === null ? '-' : `${fmt(x * 100, 1)}%`);
  const line = (r, peer) => {
    const vsBare = peer ? ratio(r.requestsPerSecond, peer.requestsPerSecond) : null;
    const cpuVsBare = peer ? ratio(peer.cpuMicrosPerRequest, r.cpuMicrosPerRequest) : null;
    const flag = r.unexpected || r.errors ? `  (${r.unexpected} unexpected statuses, ${r.errors} errors)` : '';
    console.log(`${r.label.padEnd(34)} ${r.target.padEnd(18)} ${fmt(r.requestsPerSecond).padStart(8)} ${fmt(r.p50, 1).padStart(7)} ${fmt(r.p99, 1).padStart(7)} ${pct(vsBare).padStart(7)} ${fmt(r.cpuMicrosPerRequest).padStart(10)} ${pct(cpuVsBare).padStart(8)}${flag}`);
  };
  for (const c of [32, 4]) line(bare[c], bare[c]);
  for (const c of [32, 4]) line(honoPeer[c], bare[c]);
  for (const r of results) {
    for (const row of Object.values(r.rows)) line(row, bare[row.connections]);
    if (!r.sessionMeasured) console.log(`${'GetCallerIdentity (session)'.padEnd(34)} ${r.target.padEnd(18)} not measured (STS not built)`);
    console.log(`${r.target}: RSS ${fmt(mb(r.rss.afterHotPath))} MB after the hot-path cases`);
  }
  if (SCALE) printScale(SCALE, results);
}

async function main() {
  console.log(`API benchmark: ${DURATION} s per case, dialects ${DIALECTS.join(', ')}${SCALE ? ', with --scale' : ''}; node ${process.version}`);
  const fixed = () => ({ request: { method: 'POST', path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', headers: { 'content-type': 'application/x-www-form-urlencoded' } } });
  const peerRows = async (hono) => {
    const peer = await startBarePeer({ hono });
    const stopPeer = register(peer.stop);
    serverPids.set(peer.url, peer.pid);
    const rows = {};
    try {
      // Warm-up, as for Castellan: the first requests run the peer's code before it is optimized.
      await measure('warm-up', 'peer', peer.url, 4, fixed, '2xx', 1);
      for (const c of [32, 4]) rows[c] = await measure(`${hono ? 'Hono node adapter' : 'bare Node'} ${c}c`, hono ? 'hono/node-server' : 'node:http', peer.url, c, fixed);
    } finally {
      stopPeer();
      await peer.stop();
    }
    return rows;
  };
  const bare = await peerRows(false);
  // The HTTP layer's own ceiling: the framework answering the same fixed body.
  const honoPeer = await peerRows(true);
  const results = [];
  for (const dialect of DIALECTS) results.push(await runDialect(dialect));
  printTable(bare, honoPeer, results);

  const summary = {
    durationSeconds: DURATION,
    bareNodeRequestsPerSecond32c: round(bare[32].requestsPerSecond, 0),
    bareNodeRequestsPerSecond4c: round(bare[4].requestsPerSecond, 0),
    honoNodeAdapterRatioToBareNode: round(ratio(honoPeer[32].requestsPerSecond, bare[32].requestsPerSecond), 3),
    honoNodeAdapterCpuRatioToBareNode: round(ratio(bare[32].cpuMicrosPerRequest, honoPeer[32].cpuMicrosPerRequest), 3),
  };
  for (const r of results) {
    summary[r.dialect] = {
      ...dialectSummary(r.rows, bare),
      rssMegabytes: mb(r.rss.afterHotPath),
      ...(r.scale ? scaleSummary(r.scale) : {}),
    };
  }
  console.log(JSON.stringify(summary));
}

await runMain(main);
