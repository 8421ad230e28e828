// `npm run bench:authorizer [-- --duration 5 --policies 10]`: Castellan as the authorization layer
// of another service (issue 14), side by side in one run:
//   1. the AuthorizeRequest round trip on loopback (`castellan serve` on SQLite in a child process,
//      driven by autocannon in another, 4 connections, the client's principal warm) against a bare
//      Node `http` server answering a fixed body at the same concurrency;
//   2. the in-process check (@castellan/authorizer-client's InProcessAuthorizer: SigV4 verification
//      of each request with the snapshot's signing key, then the policy engine) on one worker
//      thread, then on one per core; checks per CPU-second are printed too, as the machine may be
//      shared (its load average is in the JSON).
// The client's principal has `--policies` identity policies, and a bucket policy applies too.
// Prints a table; the last line is one JSON object.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { authorizeCall, clientRequest, question, setUp } from './requests.js';
import { cpuSeconds, runLoad, startBarePeer, startCastellanProcess } from '../api/processes.js';
import { ratio, round, summarize } from '../api/stats.js';

const { values: args } = parseArgs({ options: { duration: { type: 'string', default: '5' }, policies: { type: 'string', default: '10' }, 'in-process-seconds': { type: 'string', default: '3' }, 'cpu-prof-dir': { type: 'string' } } });
// `--cpu-prof-dir DIR`: Castellan's process and the in-process threads write CPU profiles there.
const PROF = args['cpu-prof-dir'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof-dir']] : [];
const DURATION = Number(args.duration);
const POLICIES = Number(args.policies);
if (!Number.isInteger(POLICIES) || POLICIES < 1 || POLICIES > 11) throw new Error('--policies must be 1 to 11 (10 attached managed policies and one inline, AWS\'s default quotas)');
const IN_PROCESS_SECONDS = Number(args['in-process-seconds']);
const CONNECTIONS = 4;
const ACCOUNT_ID = '210987654321';
const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: `bench-root-${randomBytes(16).toString('hex')}` };
const cleanups = [];
async function cleanupAll() {
  for (const fn of cleanups.reverse()) await fn().catch((err) => console.error(`cleanup failed: ${err?.stack ?? err}`));
}
process.once('SIGINT', () => void cleanupAll().finally(() => process.exit(130)));

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'castellan-bench-authorizer-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const castellan = await startCastellanProcess({
    CASTELLAN_DATA_DIR: dir,
    CASTELLAN_ACCOUNT_ID: ACCOUNT_ID,
    CASTELLAN_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    CASTELLAN_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
    CASTELLAN_MASTER_KEY: randomBytes(32).toString('hex'),
    CASTELLAN_RATE_LIMIT_PER_KEY: '0',
    CASTELLAN_RATE_LIMIT_PER_ADDRESS: '0',
    CASTELLAN_TRAIL_EXPORT_MINUTES: '0',
    CASTELLAN_LOG_LEVEL: 'warn',
  }, PROF);
  cleanups.push(() => castellan.stop());
  const bare = await startBarePeer();
  cleanups.push(() => bare.stop());
  console.error(`castellan ${castellan.url}, bare node ${bare.url}; the client's principal has ${POLICIES} identity policies and a bucket policy applies`);
  const { service, reader } = await setUp(castellan.url, ROOT, POLICIES);

  // One call first: it must be allowed (and it warms the principal).
  const q = question(await clientRequest(reader, 'photos/cat.jpg'), 'photos/cat.jpg', ACCOUNT_ID);
  const call = authorizeCall(new URL(castellan.url).host, service, q);
  const first = await fetch(castellan.url, { method: 'POST', headers: call.headers, body: call.body });
  const answer = await first.json();
  if (first.status !== 200 || answer.Allowed !== true) throw new Error(`the benchmark's AuthorizeRequest is not allowed: ${first.status} ${JSON.stringify(answer)}`);

  // The server's own CPU time per answered request (from /proc), which the machine's load does not
  // inflate the way it does wall-clock figures.
  const load = async (label, url, request, pid) => {
    console.error(`  ${label}: ${CONNECTIONS} connections, ${DURATION} s`);
    const cpu0 = await cpuSeconds(pid);
    const result = summarize(await runLoad({ url, connections: CONNECTIONS, durationSeconds: DURATION, request }));
    const cpu1 = await cpuSeconds(pid);
    const answered = result.requestsPerSecond * DURATION;
    const cpuMicrosPerRequest = cpu0 === null || cpu1 === null || answered === 0 ? null : round(((cpu1 - cpu0) / answered) * 1e6, 0);
    return { label, ...result, cpuMicrosPerRequest };
  };
  // Warm-up: on a loaded machine one second is a few hundred calls, too few for the JIT to settle
  // (the first measured seconds then cost up to half as much CPU again).
  await runLoad({ url: castellan.url, connections: CONNECTIONS, durationSeconds: 3, request: call });
  const roundTrip = await load('AuthorizeRequest round trip', castellan.url, call, castellan.pid);
  const peer = await load('bare Node http', bare.url, { method: 'POST', path: '/', headers: call.headers, body: call.body }, bare.pid);

  // In process: each thread warms its own snapshot with one round trip, then checks distinct signed
  // requests locally; one thread alone, then one per core together.
  const inProcess = async (threads) => {
    const workers = Array.from({ length: threads }, () => new Worker(new URL('./in-process-worker.js', import.meta.url), {
      execArgv: PROF,
      workerData: { url: castellan.url, service, reader, accountId: ACCOUNT_ID, seconds: IN_PROCESS_SECONDS, count: 256 },
    }));
    const next = (w) => new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
    await Promise.all(workers.map(next));
    console.error(`  in-process check: ${threads} thread(s), ${IN_PROCESS_SECONDS} s`);
    const results = workers.map(next);
    for (const w of workers) w.postMessage('go');
    const out = await Promise.all(results);
    await Promise.all(workers.map((w) => w.terminate()));
    for (const r of out) if (r.refused > 0 || r.roundTrips !== 1) throw new Error(`in-process checks: ${r.refused} refused, ${r.roundTrips} round trips`);
    return { checksPerSecond: out.reduce((n, r) => n + r.checks / r.seconds, 0), perCpuSecond: out.reduce((n, r) => n + r.checks, 0) / out.reduce((n, r) => n + r.cpuSeconds, 0) };
  };
  const cores = availableParallelism();
  const single = await inProcess(1);
  const all = cores > 1 ? await inProcess(cores) : single;

  const rows = [roundTrip, peer];
  console.log(`\n${'case'.padEnd(32)} ${'req/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU µs/req'.padStart(11)}  unexpected/errors`);
  for (const r of rows) console.log(`${r.label.padEnd(32)} ${Math.round(r.requestsPerSecond).toLocaleString('en-US').padStart(10)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.cpuMicrosPerRequest ?? '-').padStart(11)}  ${r.unexpected}/${r.errors}`);
  console.log(`${'in-process check, 1 thread'.padEnd(32)} ${Math.round(single.checksPerSecond).toLocaleString('en-US').padStart(10)} checks/s (${Math.round(single.perCpuSecond).toLocaleString('en-US')} per CPU-second; SigV4 verification + ${POLICIES} identity policies + bucket policy)`);
  console.log(`${`in-process check, ${cores} threads`.padEnd(32)} ${Math.round(all.checksPerSecond).toLocaleString('en-US').padStart(10)} checks/s`);
  const result = {
    policiesPerPrincipal: POLICIES,
    resourcePolicy: true,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    roundTripRequestsPerSecond: round(roundTrip.requestsPerSecond, 0),
    bareNodeRequestsPerSecond: round(peer.requestsPerSecond, 0),
    roundTripRatioToBareNode: round(ratio(roundTrip.requestsPerSecond, peer.requestsPerSecond), 3),
    roundTripP50Millis: roundTrip.p50,
    roundTripP99Millis: roundTrip.p99,
    roundTripUnexpected: roundTrip.unexpected + roundTrip.errors,
    roundTripServerCpuMicrosPerRequest: roundTrip.cpuMicrosPerRequest,
    bareNodeCpuMicrosPerRequest: peer.cpuMicrosPerRequest,
    // The library's throughput: one thread per core when that is more (a quiet machine), else one.
    inProcessChecksPerSecond: round(Math.max(all.checksPerSecond, single.checksPerSecond), 0),
    inProcessThreads: all.checksPerSecond > single.checksPerSecond ? cores : 1,
    inProcessChecksPerSecondOneThread: round(single.checksPerSecond, 0),
    inProcessChecksPerCpuSecond: round(single.perCpuSecond, 0),
    loadAverage: round(loadavg()[0], 1),
    goals: { roundTripRatioToBareNode: 0.3, roundTripP99Millis: 2, inProcessChecksPerSecond: 200_000 },
  };
  console.log(JSON.stringify(result));
}

try {
  await main();
} finally {
  await cleanupAll();
}
