// `npm run bench:cluster [-- --duration 5 --connections 12]`: several `castellan serve` nodes on one
// PostgreSQL (issue 11, "Several nodes"). Three nodes start at once on a fresh schema (so they
// migrate and bootstrap concurrently), on loopback, each with its own data folder and the same
// master key. One load process drives them with autocannon: every connection cycles through one
// mutation (`CreateUser`, a new name each time) and three authorized reads (`GetUser`).
//
// 1. Throughput with one, two and three nodes: the same total number of connections spread over
//    the first N nodes (so the peer of N nodes is one node, in the same run).
// 2. Failure: load on all three nodes, and node 3 killed with SIGKILL halfway through.
// Afterwards: every CreateUser answered 200 (on any node, in any phase, the killed node included)
// has its user row and its CreateUser audit event in the database, `castellan trail verify`
// passes on the database, and the surviving nodes answered every request of the failure phase.
// Prints a table; the last line is one JSON object.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_USER, setUpAccount } from '../api/account-setup.js';
import { ACCOUNT_ID, fmt, POSTGRES_URL, positiveArg, ROOT, runCleanups, withPostgresAdmin } from '../api/run-support.js';
import { startCastellanProcess } from '../api/processes.js';
import { ratio, round, summarize } from '../api/stats.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '12' },
  },
});
const positive = (name) => positiveArg(args, name);
const DURATION = positive('duration');
const CONNECTIONS = positive('connections');
const NODES = 3;
const CLI = fileURLToPath(new URL('../../packages/cli/bin/castellan.js', import.meta.url));
const LOAD = fileURLToPath(new URL('./load-mix.js', import.meta.url));

// Cleanup runs on success, failure and Ctrl-C alike: servers, temporary folders and the schema never stay.
const { register, runMain } = runCleanups("stopping the benchmark's servers and removing its schema");

/** Runs `node <args>` to completion; resolves with its exit code and output. */
function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** Drives `targets` at once for `seconds`; `during` runs alongside (the failure phase kills a node there). */
async function load(phase, targets, seconds, user, during) {
  const spec = {
    targets, connectionsPerTarget: Math.max(1, Math.round(CONNECTIONS / targets.length)), durationSeconds: seconds,
    root: ROOT, user, readUser: BENCH_USER, prefix: `${phase}-${randomBytes(3).toString('hex')}`,
  };
  console.error(`  ${phase}: ${targets.length} node(s), ${spec.connectionsPerTarget} connections each, ${seconds} s`);
  const [{ code, out }] = await Promise.all([run([LOAD, JSON.stringify(spec)]), during?.()]);
  if (code !== 0) throw new Error(`load generator exited with ${code}: ${out.slice(-2000)}`);
  return JSON.parse(out.trim().split('\n').at(-1));
}

/** The phase's figures: total and per-node requests/s, mutations acknowledged per second. */
function phaseRow(label, nodes, perTarget, seconds) {
  const summaries = perTarget.map((t) => ({ label: t.label, ...summarize(t.result), acknowledged: t.acknowledged.length }));
  return {
    label,
    nodes,
    requestsPerSecond: summaries.reduce((n, s) => n + s.requestsPerSecond, 0),
    mutationsPerSecond: summaries.reduce((n, s) => n + s.acknowledged, 0) / seconds,
    p50: Math.max(...summaries.map((s) => s.p50)),
    p99: Math.max(...summaries.map((s) => s.p99)),
    perNode: summaries,
  };
}

async function main() {
  const pgVersion = await withPostgresAdmin(async (c) => (await c.query('show server_version')).rows[0].server_version);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, PostgreSQL ${pgVersion}`;
  console.log(`Cluster benchmark: ${NODES} nodes on one PostgreSQL, ${CONNECTIONS} connections in all, ${DURATION} s per phase; ${machine}`);

  const schema = `castellan_bench_${randomBytes(6).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', schema);
  const databaseUrl = url.toString();
  register(() => withPostgresAdmin((c) => c.query(`drop schema if exists "${schema}" cascade`)));
  const masterKey = randomBytes(32).toString('hex');

  // All nodes start at once on the empty schema: they migrate and bootstrap concurrently.
  const dirs = [];
  for (let i = 0; i < NODES; i++) {
    const dir = await mkdtemp(join(tmpdir(), `castellan-bench-cluster-${i + 1}-`));
    register(() => rm(dir, { recursive: true, force: true }));
    dirs.push(dir);
  }
  const nodes = await Promise.all(dirs.map((dir) => startCastellanProcess({
    CASTELLAN_DATA_DIR: dir,
    CASTELLAN_DATABASE_URL: databaseUrl,
    CASTELLAN_ACCOUNT_ID: ACCOUNT_ID,
    CASTELLAN_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    CASTELLAN_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
    CASTELLAN_MASTER_KEY: masterKey,
    CASTELLAN_RATE_LIMIT_PER_KEY: '0',
    CASTELLAN_RATE_LIMIT_PER_ADDRESS: '0',
    CASTELLAN_TRAIL_EXPORT_MINUTES: '0',
    // Every cycle creates a user: a quiet machine creates more than AWS's default 5,000 in a run,
    // and the quota's LimitExceeded would count as a survivor failing.
    CASTELLAN_QUOTAS: 'usersPerAccount=1000000',
    CASTELLAN_LOG_LEVEL: 'warn',
  })));
  nodes.forEach((n, i) => {
    n.label = `node${i + 1}`;
    register(() => n.stop());
  });
  console.error(`nodes: ${nodes.map((n) => `${n.label} ${n.url} (pid ${n.pid})`).join(', ')}`);
  const user = await setUpAccount(nodes[0].url, ROOT, ACCOUNT_ID);
  const targets = (count) => nodes.slice(0, count).map((n) => ({ label: n.label, url: n.url }));

  await load('warm-up', targets(NODES), 1, user);
  const rows = [];
  const acknowledged = [];
  for (let count = 1; count <= NODES; count++) {
    const perTarget = await load(`${count}-node`, targets(count), DURATION, user);
    rows.push(phaseRow(`${count} node${count > 1 ? 's' : ''}`, count, perTarget, DURATION));
    for (const t of perTarget) acknowledged.push(...t.acknowledged);
  }

  // Failure: node 3 dies without a chance to flush or close anything.
  const victim = nodes[NODES - 1];
  const failureSeconds = 2 * DURATION;
  const perTarget = await load('failure', targets(NODES), failureSeconds, user, async () => {
    await new Promise((r) => setTimeout(r, (failureSeconds / 2) * 1000));
    process.kill(victim.pid, 'SIGKILL');
    console.error(`  killed ${victim.label} (pid ${victim.pid}) with SIGKILL`);
  });
  const failure = phaseRow(`${NODES} nodes, ${victim.label} killed at ${failureSeconds / 2} s`, NODES, perTarget, failureSeconds);
  for (const t of perTarget) acknowledged.push(...t.acknowledged);
  const survivors = failure.perNode.filter((s) => s.label !== victim.label);
  const survivorsKeptServing = survivors.every((s) => s.unexpected === 0 && s.errors === 0 && s.requests > 0);

  // Stop the survivors gracefully (their batched read events are flushed), then check the database.
  for (const n of nodes.slice(0, NODES - 1)) await n.stop();
  const found = await withPostgresAdmin(async (c) => {
    const users = await c.query(`select count(*)::int as n from "${schema}".users where name = any($1)`, [acknowledged]);
    const events = await c.query(
      `select count(distinct (record::json -> 'requestParameters' ->> 'userName'))::int as n from "${schema}".audit_events
       where event_name = 'CreateUser' and error_code is null and (record::json -> 'requestParameters' ->> 'userName') = any($1)`,
      [acknowledged],
    );
    return { users: users.rows[0].n, events: events.rows[0].n };
  });
  const verify = await run([CLI, 'trail', 'verify', '--data-dir', dirs[0], '--database-url', databaseUrl, '--no-export'], { CASTELLAN_MASTER_KEY: masterKey });

  console.log('');
  console.log(`${'phase'.padEnd(34)} ${'req/s'.padStart(8)} ${'mut/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'÷ 1 node'.padStart(9)}`);
  for (const r of [...rows, failure]) {
    console.log(`${r.label.padEnd(34)} ${fmt(r.requestsPerSecond).padStart(8)} ${fmt(r.mutationsPerSecond).padStart(7)} ${fmt(r.p50, 1).padStart(7)} ${fmt(r.p99, 1).padStart(7)} ${`${fmt(ratio(r.requestsPerSecond, rows[0].requestsPerSecond), 2)}×`.padStart(9)}`);
  }
  for (const s of failure.perNode) console.log(`  ${s.label}: ${fmt(s.requests)} answered, ${s.acknowledged} CreateUser acknowledged, ${s.unexpected} non-2xx, ${s.errors} errors/timeouts`);
  console.log(`acknowledged CreateUser calls: ${acknowledged.length}; users in the database: ${found.users}; with their CreateUser audit event: ${found.events}`);
  console.log(`castellan trail verify: exit ${verify.code}${verify.code === 0 ? '' : `\n${verify.out.slice(-2000)}`}`);
  console.log(`survivors kept serving: ${survivorsKeptServing ? 'yes' : 'no'}`);

  // No acknowledged mutation at all would make the checks vacuous: that is a failed run too.
  const ok = acknowledged.length > 0 && found.users === acknowledged.length && found.events === acknowledged.length && verify.code === 0 && survivorsKeptServing;
  console.log(JSON.stringify({
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    machine,
    requestsPerSecond: Object.fromEntries(rows.map((r) => [`${r.nodes}`, round(r.requestsPerSecond, 0)])),
    mutationsPerSecond: Object.fromEntries(rows.map((r) => [`${r.nodes}`, round(r.mutationsPerSecond, 0)])),
    ratioToOneNode: Object.fromEntries(rows.map((r) => [`${r.nodes}`, round(ratio(r.requestsPerSecond, rows[0].requestsPerSecond), 2)])),
    failure: {
      requestsPerSecond: round(failure.requestsPerSecond, 0),
      acknowledgedMutations: acknowledged.length,
      usersFound: found.users,
      auditEventsFound: found.events,
      trailVerifyExitCode: verify.code,
      survivorsKeptServing,
    },
    ok,
  }));
  if (!ok) process.exitCode = 1;
}

await runMain(main);
