// `node bench/authorizer/server-in-process.js [seconds] [repeats] [--compare=DIR] [--cpu-prof=DIR] [--set=key=value,…]`:
// the server's side of bench:authorizer's AuthorizeRequest round trip without sockets or a load
// generator. Castellan (SQLite, temporary folder) runs in a child process; after the set-up over
// HTTP, its Node API listener is called directly with the request's headers and body (4 calls in
// flight, the event loop turned between rounds, so timers and the audit worker run as they do
// under load), and the child prints its request thread's CPU per call and the whole process's.
// What is left out is the same for every build: Node's HTTP parsing and the socket's read and
// write. With `--compare=DIR` (a build of another commit: its packages and node_modules) the two
// run in turns, `repeats` times each, so a loaded machine weighs on both alike. Each run also reports
// the request thread's garbage collections (`v8.GCProfiler`): young and full, how many, their pauses
// per 1,000 calls and the longest (wall clock, which load lengthens), and per call the bytes the
// young collections kept and moved to the old generation. `--set` overrides settings of the
// server's configuration in every run: with `--set=auditFlushMs=60000` the audit batches are cut by
// count alone (1,000 events), so those bytes do not depend on how fast a loaded host runs the calls.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { authorizeCall, clientRequest, question, setUp } from './requests.js';
import { threadTimes } from '../api/processes.js';

const ACCOUNT_ID = '210987654321';
const HERE = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const [seconds = '5', repeats = '3'] = args.filter((a) => !a.startsWith('--'));

if (flag('child')) await child(flag('child'), Number(seconds));
else await parent();

async function parent() {
  const trees = [['this tree', HERE]];
  if (flag('compare')) trees.unshift(['compared', resolve(flag('compare'))]);
  const results = new Map(trees.map(([label]) => [label, []]));
  for (let i = 0; i < Number(repeats); i++) {
    for (const [label, dir] of i % 2 === 0 ? trees : [...trees].reverse()) {
      const prof = flag('cpu-prof') ? [`--cpu-prof`, `--cpu-prof-dir=${resolve(flag('cpu-prof'))}`] : [];
      const out = await new Promise((ok, fail) => {
        const set = flag('set') ? [`--set=${flag('set')}`] : [];
        const c = spawn(process.execPath, [...prof, fileURLToPath(import.meta.url), seconds, `--child=${dir}`, ...set], { stdio: ['ignore', 'pipe', 'inherit'] });
        let text = '';
        c.stdout.setEncoding('utf8').on('data', (d) => { text += d; });
        c.once('exit', (code) => (code === 0 ? ok(text) : fail(new Error(`child exited ${code}: ${text}`))));
      });
      const r = JSON.parse(out.trim().split('\n').at(-1));
      results.get(label).push(r);
      console.log(`${label.padEnd(10)} run ${i + 1}: ${r.calls} calls, request thread ${r.requestThreadMicros.toFixed(1)} µs/call (user ${r.requestThreadUser.toFixed(1)}), process ${r.processMicros.toFixed(1)} µs/call, ${r.callsPerSecond} calls/s`);
      const { young, full } = r.gc;
      console.log(`${''.padEnd(10)} gc: young ×${young.count} (${young.msPer1000.toFixed(1)} ms per 1,000 calls, longest ${young.longest.toFixed(1)} ms; kept ${young.keptKBPerCall.toFixed(2)} KB and promoted ${young.promotedKBPerCall.toFixed(2)} KB per call), full ×${full.count} (${full.msPer1000.toFixed(1)} ms per 1,000 calls, longest ${full.longest.toFixed(1)} ms)`);
    }
  }
  for (const [label, rs] of results) {
    const med = (k) => [...rs].map((r) => k(r)).sort((a, b) => a - b)[Math.floor(rs.length / 2)].toFixed(1);
    console.log(`${label}: median request thread ${med((r) => r.requestThreadMicros)} µs/call, process ${med((r) => r.processMicros)} µs/call, young collections ${med((r) => r.gc.young.msPer1000)} ms per 1,000 calls, promoted ${med((r) => r.gc.young.promotedKBPerCall)} KB per call`);
  }
}

/** One measurement of the server at `dir`. */
async function child(dir, secs) {
  (await import('node:v8')).setFlagsFromString('--no-parallel-scavenge'); // as `castellan serve` runs
  const dist = (p) => pathToFileURL(join(dir, 'packages/server/dist', p)).href;
  const { createCastellan, resolveConfig } = await import(dist('index.js'));
  const { startHttpServer } = await import(dist('http/node-listener.js'));
  const { nodeApiListenerOf } = await import(dist('http/node-api.js'));
  const pino = (await import(pathToFileURL(join(dir, 'node_modules/pino/pino.js')).href)).default;
  const dataDir = await mkdtemp(join(tmpdir(), 'castellan-authz-in-process-'));
  const root = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: `bench-root-${randomBytes(16).toString('hex')}` };
  const overrides = Object.fromEntries((flag('set')?.split(',') ?? []).map((kv) => kv.split('=')));
  const resolved = resolveConfig([{
    dataDir, accountId: ACCOUNT_ID, rootAccessKeyId: root.accessKeyId, rootSecretAccessKey: root.secretAccessKey,
    masterKey: randomBytes(32).toString('hex'), rateLimitPerKey: '0', rateLimitPerAddress: '0', trailExportMinutes: '0', logLevel: 'warn', port: '0', ...overrides,
  }]);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  const castellan = await createCastellan(resolved.config, { logger: pino({ level: 'warn' }) });
  const http = await startHttpServer(castellan.app, { host: '127.0.0.1', port: 0 });
  try {
    const { service, reader } = await setUp(http.url, root, 10);
    const host = new URL(http.url).host;
    const q = question(await clientRequest(reader, 'photos/cat.jpg'), 'photos/cat.jpg', ACCOUNT_ID);
    const call = authorizeCall(host, service, q);
    const body = Buffer.from(call.body);
    const headers = { ...call.headers, host, 'content-length': String(body.length) };
    const listener = nodeApiListenerOf(castellan.app);
    const once = () => new Promise((ok, fail) => {
      const req = new EventEmitter();
      req.method = 'POST';
      req.url = '/';
      req.headers = { ...headers };
      req.rawHeaders = Object.entries(headers).flat();
      req.socket = { remoteAddress: '127.0.0.1', encrypted: false };
      req.destroy = () => undefined;
      const res = {
        writeHead(status) { this.status = status; },
        end(text) { if (this.status === 200 && text.includes('"Allowed":true')) ok(); else fail(new Error(`${this.status} ${text}`)); },
      };
      if (!listener(req, res)) fail(new Error('the API listener did not take the call'));
      req.emit('data', body);
      req.emit('end');
    });
    const run = async (ms) => {
      let calls = 0;
      const end = performance.now() + ms;
      while (performance.now() < end) {
        await Promise.all([once(), once(), once(), once()]);
        calls += 4;
        await new Promise((r) => setImmediate(r));
      }
      return calls;
    };
    await run(2000); // warm-up: the JIT, the caches
    const profiler = new (await import('node:v8')).GCProfiler();
    profiler.start();
    const t0 = await threadTimes(process.pid);
    const p0 = process.cpuUsage();
    const w0 = performance.now();
    const calls = await run(secs * 1000);
    const wall = performance.now() - w0;
    const p1 = process.cpuUsage(p0);
    const t1 = await threadTimes(process.pid);
    const gc = gcSummary(profiler.stop(), calls);
    const main = [...t1].find(([k]) => k.startsWith(`${process.pid} `))?.[1];
    const main0 = [...t0].find(([k]) => k.startsWith(`${process.pid} `))?.[1];
    console.log(JSON.stringify({
      calls,
      callsPerSecond: Math.round((calls * 1000) / wall),
      requestThreadMicros: ((main.user + main.sys - main0.user - main0.sys) * 1e6) / calls,
      requestThreadUser: ((main.user - main0.user) * 1e6) / calls,
      processMicros: (p1.user + p1.system) / calls,
      gc,
    }));
  } finally {
    await http.close({ forceAfterMs: 0 });
    await castellan.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * A `v8.GCProfiler` recording summed up per 1,000 calls: young (scavenges) and full collections,
 * their pauses (wall clock: a loaded machine lengthens them) and, what load does not change, the
 * bytes each young collection kept in the young generation and moved to the old one (their work
 * grows with these; objects that outlive two of them end in the old generation, for a full
 * collection to find).
 */
function gcSummary({ statistics }, calls) {
  const used = (s, name) => s.heapSpaceStatistics.find((x) => x.spaceName === name)?.spaceUsedSize ?? 0;
  const sum = () => ({ count: 0, ms: 0, longest: 0, keptKB: 0, promotedKB: 0 });
  const gc = { young: sum(), full: sum() };
  for (const s of statistics) {
    const g = s.gcType === 'Scavenge' || s.gcType === 'MinorMarkCompact' ? gc.young : s.gcType === 'MarkSweepCompact' ? gc.full : undefined;
    if (!g) continue;
    g.count++;
    g.ms += s.cost / 1000;
    g.longest = Math.max(g.longest, s.cost / 1000);
    if (g === gc.young) {
      g.keptKB += used(s.afterGC, 'new_space') / 1024;
      g.promotedKB += Math.max(0, used(s.afterGC, 'old_space') - used(s.beforeGC, 'old_space')) / 1024;
    }
  }
  for (const g of Object.values(gc)) {
    g.msPer1000 = (g.ms * 1000) / calls;
    g.keptKBPerCall = g.keptKB / calls;
    g.promotedKBPerCall = g.promotedKB / calls;
  }
  return gc;
}
