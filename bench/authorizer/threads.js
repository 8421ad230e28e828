// `node bench/authorizer/threads.js [seconds] [repeats] [--trace-gc] [--compare=DIR]`:
// bench:authorizer's AuthorizeRequest round trip (4 connections, warm principal, SQLite) measured
// `repeats` times; each run prints p50/p99 and every server thread's CPU time per answered request
// (user and system apart, Linux `/proc/<pid>/task`) and its time waiting for a core (run-queue wait). With `--trace-gc` the server runs with Node's
// `--trace-gc` and each run also counts its young and full collections, their longest pauses and
// the MB allocated per 1,000 requests, the usual makers of the tail. With `--compare=DIR` a second
// server runs from DIR (a copy of the repository's packages and node_modules, e.g. a build of an
// earlier commit) and the two are measured in turns, so a loaded machine weighs on both alike;
// `--node-flags=a,b` and `--compare-node-flags=a,b` start either with Node flags (`--compare=.`
// compares flags alone).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authorizeCall, clientRequest, question, setUp } from './requests.js';
import { benchRoot, benchServerEnv, runLoad, threadTimes } from '../api/processes.js';

const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const [seconds = '5', repeats = '3'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const traceGc = flags.includes('--trace-gc');
const flag = (name) => flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
const compare = flag('compare');
// `--node-flags=a,b` for this tree's server, `--compare-node-flags=a,b` for the compared one.
const nodeFlags = flag('node-flags')?.split(',') ?? [];
const compareNodeFlags = flag('compare-node-flags')?.split(',') ?? [];
const ACCOUNT_ID = '210987654321';
const CLI = fileURLToPath(new URL('../../packages/cli/bin/castellan.js', import.meta.url));


/** `castellan serve` from `cli` on SQLite in a temporary folder, its stdout kept. */
async function startServer(label, cli, extraFlags) {
  const root = benchRoot();
  const dir = await mkdtemp(join(tmpdir(), 'castellan-authz-threads-'));
  const child = spawn(process.execPath, [...(traceGc ? ['--trace-gc'] : []), ...extraFlags, cli, 'serve', '--port', '0'], {
    env: {
      ...process.env, ...benchServerEnv(dir, root, ACCOUNT_ID),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const server = { label, child, dir, out: '' };
  child.stdout.setEncoding('utf8').on('data', (d) => { server.out += d; });
  server.url = await new Promise((resolve, reject) => {
    const t = setInterval(() => { const m = /Castellan is listening on (http:\/\/\S+)/.exec(server.out); if (m) { clearInterval(t); resolve(m[1]); } }, 20);
    child.once('exit', (c) => { clearInterval(t); reject(new Error(`castellan exited ${c}: ${server.out.slice(-2000)}`)); });
  });
  const { service, reader } = await setUp(server.url, root, 10);
  const q = question(await clientRequest(reader, 'photos/cat.jpg'), 'photos/cat.jpg', ACCOUNT_ID);
  server.call = authorizeCall(new URL(server.url).host, service, q);
  return server;
}

/**
 * `--trace-gc` lines since `from`, per isolate (the main thread's and each worker's): collections
 * by kind with their longest pauses, and the MB allocated (heap growth between collections) and
 * kept (growth of the heap after each collection) per 1,000 requests.
 */
function gcSummary(text, requests) {
  const isolates = new Map();
  const re = /\[\d+:(0x[0-9a-f]+)\][^\n]*?\b(Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact)\b[^\n]*? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB,\s*([\d.]+)\s*\/\s*([\d.]+)\s*ms/g;
  for (const m of text.matchAll(re)) {
    const iso = isolates.get(m[1]) ?? { kinds: new Map(), allocated: 0, first: null, last: null };
    const before = Number(m[3]), after = Number(m[4]), ms = Number(m[5]);
    if (iso.last !== null) iso.allocated += before - iso.last;
    iso.first ??= after;
    iso.last = after;
    const k = iso.kinds.get(m[2]) ?? { n: 0, total: 0, max: [] };
    k.n++; k.total += ms; k.max.push(ms);
    iso.kinds.set(m[2], k);
    isolates.set(m[1], iso);
  }
  return [...isolates].map(([id, iso]) => `${id}: ${[...iso.kinds].map(([k, v]) => `${k} ×${v.n} (${v.total.toFixed(0)} ms, longest ${v.max.sort((a, b) => b - a).slice(0, 4).join(', ')})`).join('; ')}` +
    `; ${((iso.allocated * 1000) / requests).toFixed(1)} MB allocated and ${(((iso.last - iso.first) * 1000) / requests).toFixed(2)} MB kept per 1,000 requests, heap ${iso.last} MB`).join('\n         ');
}

const servers = [];
try {
  if (compare) servers.push(await startServer(`compared${compareNodeFlags.length ? ` (${compareNodeFlags.join(' ')})` : ''}`, join(compare, 'packages/cli/bin/castellan.js'), compareNodeFlags));
  servers.push(await startServer(`this tree${nodeFlags.length ? ` (${nodeFlags.join(' ')})` : ''}`, CLI, nodeFlags));
  for (const s of servers) await runLoad({ url: s.url, connections: 4, durationSeconds: 3, request: s.call });
  const totals = new Map(servers.map((s) => [s.label, []]));
  // The request thread's time runnable but without a core, per request (`schedstat`): what another
  // thread or process holding the cores adds to a round trip's latency.
  const waits = new Map(servers.map((s) => [s.label, []]));
  for (let i = 0; i < Number(repeats); i++) {
    // In turns, first one then the other first: neither always runs on the heels of the other.
    for (const s of i % 2 === 0 ? servers : [...servers].reverse()) {
      const from = s.out.length;
      const before = await threadTimes(s.child.pid);
      const r = await runLoad({ url: s.url, connections: 4, durationSeconds: Number(seconds), request: s.call });
      const after = await threadTimes(s.child.pid);
      const n = r.requests.total;
      let tu = 0, ts = 0, mainWait = 0;
      const lines = [];
      for (const [k, a] of after) {
        const b = before.get(k) ?? { user: 0, sys: 0 };
        const u = ((a.user - b.user) * 1e6) / n, sy = ((a.sys - b.sys) * 1e6) / n, w = (((a.waited ?? 0) - (b.waited ?? 0)) * 1e6) / n;
        tu += u; ts += sy;
        if (k.startsWith(`${s.child.pid} `)) mainWait = w;
        if (u + sy >= 1) lines.push(`    ${k.padEnd(26)} user ${u.toFixed(1).padStart(6)}  sys ${sy.toFixed(1).padStart(6)}  run-queue wait ${w.toFixed(1).padStart(6)}`);
      }
      totals.get(s.label).push(tu + ts);
      waits.get(s.label).push(mainWait);
      console.log(`${s.label}, run ${i + 1}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, non-2xx ${r.non2xx}; server CPU ${(tu + ts).toFixed(1)} µs/req (user ${tu.toFixed(1)}, sys ${ts.toFixed(1)})`);
      console.log(lines.join('\n'));
      if (traceGc) console.log(`    gc: ${gcSummary(s.out.slice(from), n)}`);
      // GC_LINES=n: the run's first n collections as Node printed them.
      if (traceGc && process.env.GC_LINES) console.log(s.out.slice(from).split('\n').filter((l) => /Mark|Scavenge/.test(l)).slice(0, Number(process.env.GC_LINES)).join('\n'));
    }
  }
  for (const [label, xs] of totals) {
    const sorted = [...xs].sort((a, b) => a - b);
    const w = [...waits.get(label)].sort((a, b) => a - b);
    console.log(`${label}: server CPU µs/req median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} (runs ${xs.map((x) => x.toFixed(0)).join(', ')}); request thread's run-queue wait µs/req median ${w[Math.floor(w.length / 2)].toFixed(1)} (runs ${waits.get(label).map((x) => x.toFixed(0)).join(', ')})`);
  }
} finally {
  // DUMP_SERVER_OUTPUT=prefix: each server's stdout (e.g. `--trace-gc-nvp` lines) to prefix-<n>.txt.
  if (process.env.DUMP_SERVER_OUTPUT) servers.forEach((s, i) => writeFileSync(`${process.env.DUMP_SERVER_OUTPUT}-${i}.txt`, s.out));
  for (const s of servers) {
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
    await rm(s.dir, { recursive: true, force: true });
  }
}
