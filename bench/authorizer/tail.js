// `node bench/authorizer/tail.js [seconds] [--node-flags=a,b] [--env=K=V,K=V]`: where bench:authorizer's
// round-trip tail comes from. Runs `castellan serve` (SQLite, temporary folder) under the
// AuthorizeRequest round trip (4 keep-alive connections, warm principal) from a client process that
// times every request, while Linux `perf` samples the server's request thread and audit worker on
// the same clock (CLOCK_MONOTONIC, as `process.hrtime`). For the slowest 1% of requests it prints
// what each thread was doing while they waited: the request thread's samples in young or full
// garbage collection, in posting an audit batch, in the last-used writes, in anything else, and how
// much of the window it was not on a core at all (no samples: runnable but waiting, or idle); the
// audit worker's samples (its batch's chaining, inserts and commit). The same figures over all
// requests are the baseline they compare with (requests in flight together share samples, so the
// shares compare between the two groups; they are not the threads' time).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWarmAuthorizer } from './warm-server.js';

const args = process.argv.slice(2);
const flag = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const [seconds = '5'] = args.filter((a) => !a.startsWith('--'));
const HZ = 4999;

if (flag('client')) await client(JSON.parse(flag('client')));
else await main();

/** The client process: 4 connections, each sending the call again as soon as it is answered; prints start and duration (ns) of each. */
async function client({ url, call, seconds: s }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const u = new URL(url);
  const out = [];
  const end = process.hrtime.bigint() + BigInt(s * 1e9);
  const one = () => new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: u.hostname, port: u.port, method: call.method, path: call.path, headers: call.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => { if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`)); out.push(t0, process.hrtime.bigint() - t0); resolve(); });
    });
    req.on('error', reject);
    req.end(call.body);
  });
  await Promise.all(Array.from({ length: 4 }, async () => { while (process.hrtime.bigint() < end) await one(); }));
  agent.destroy();
  process.stdout.write(out.join(','));
}

function runCapture(cmd, argv, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'ignore'], ...opts });
    const chunks = [];
    child.stdout.on('data', (d) => chunks.push(d));
    child.on('error', reject).on('exit', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

/** What a request-thread sample was doing, from its call chain (innermost first). */
function classify(frames) {
  const chain = frames.join('\n');
  if (/Scavenge|ScavengerCollector|MinorMarkCompact/.test(chain)) return 'young GC';
  if (/MarkCompactCollector|IncrementalMarking|ConcurrentMarking|Heap::CollectGarbage|Heap::FinalizeIncrementalMarking/.test(chain)) return 'full GC';
  if (/latest-use-buffer|action-use-recorder|relaxed-commits|wal-flush/.test(chain)) return 'last-used writes';
  if (/packAuditEvents|audit-append-worker|store-audit-log\.js:\d+:\d+ flush|ValueSerializer|MessagePort::PostMessage/.test(chain)) return 'audit batch post';
  return 'other';
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'castellan-tail-'));
  const data = join(dir, 'perf.data');
  const extraEnv = Object.fromEntries((flag('env') ?? '').split(',').filter(Boolean).map((kv) => kv.split('=')));
  const { server, call, worker } = await startWarmAuthorizer({ dir, env: extraEnv, nodeArgs: flag('node-flags')?.split(',') ?? [] });
  try {
    const perf = spawn('perf', ['record', '-q', '-k', 'CLOCK_MONOTONIC', '-F', String(HZ), '-g', '-t', `${server.pid},${worker.tid}`, '-o', data, '--', 'sleep', String(Number(seconds) + 1)], { stdio: 'ignore' });
    const recorded = new Promise((resolve, reject) => perf.on('error', reject).on('exit', resolve));
    await new Promise((r) => setTimeout(r, 300));
    const raw = await runCapture(process.execPath, [fileURLToPath(import.meta.url), `--client=${JSON.stringify({ url: server.url, call, seconds: Number(seconds) })}`]);
    await recorded;
    const nums = raw.split(',').map(BigInt);
    const reqs = [];
    for (let i = 0; i < nums.length; i += 2) reqs.push({ start: Number(nums[i]) / 1e9, dur: Number(nums[i + 1]) / 1e9 });

    // Samples: time (s), thread, class.
    const script = await runCapture('perf', ['script', '-i', data, '-F', 'tid,time,ip,sym']);
    const samples = [];
    for (const block of script.split('\n\n')) {
      const lines = block.split('\n').filter((l) => l.trim());
      if (lines.length === 0) continue;
      const m = /^\s*(\d+)\s+([\d.]+):/.exec(lines[0]);
      if (!m) continue;
      const tid = m[1];
      samples.push({ t: Number(m[2]), tid, what: tid === worker.tid ? 'worker' : classify(lines.slice(1)) });
    }
    samples.sort((a, b) => a.t - b.t);
    const times = samples.map((s) => s.t);
    const firstAtOrAfter = (t) => { let lo = 0, hi = times.length; while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] < t) lo = mid + 1; else hi = mid; } return lo; };
    const period = 1 / HZ;
    const window = (r) => {
      const w = { 'young GC': 0, 'full GC': 0, 'last-used writes': 0, 'audit batch post': 0, other: 0, worker: 0 };
      for (let i = firstAtOrAfter(r.start); i < samples.length && samples[i].t <= r.start + r.dur; i++) w[samples[i].what] += period;
      return w;
    };
    const sumUp = (list) => {
      const total = { 'young GC': 0, 'full GC': 0, 'last-used writes': 0, 'audit batch post': 0, other: 0, worker: 0, dur: 0 };
      for (const r of list) { const w = window(r); for (const k of Object.keys(w)) total[k] += w[k]; total.dur += r.dur; }
      const reqThread = total['young GC'] + total['full GC'] + total['last-used writes'] + total['audit batch post'] + total.other;
      const pct = (x) => `${((x * 100) / total.dur).toFixed(0).padStart(3)}%`;
      return `request thread: young GC ${pct(total['young GC'])}, full GC ${pct(total['full GC'])}, batch post ${pct(total['audit batch post'])}, last-used ${pct(total['last-used writes'])}, other work ${pct(total.other)}, off core ${pct(Math.max(0, total.dur - reqThread))}; audit worker on a core ${pct(total.worker)}`;
    };
    const sorted = [...reqs].sort((a, b) => a.dur - b.dur);
    const quantile = (p) => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].dur * 1000).toFixed(2);
    const inRecording = reqs.filter((r) => r.start >= times[0] && r.start + r.dur <= times.at(-1));
    const slow = [...inRecording].sort((a, b) => b.dur - a.dur).slice(0, Math.max(1, Math.floor(inRecording.length / 100)));
    console.log(`${reqs.length} requests in ${seconds} s (${Math.round(reqs.length / Number(seconds))}/s): p50 ${quantile(0.5)} ms, p90 ${quantile(0.9)}, p99 ${quantile(0.99)}, p99.9 ${quantile(0.999)}, max ${(sorted.at(-1).dur * 1000).toFixed(2)} ms`);
    console.log(`share of the requests' waiting time (a sample counts 1/${HZ} s):`);
    console.log(`  all requests:     ${sumUp(inRecording)}`);
    console.log(`  slowest 1% (${slow.length}, from ${(slow.at(-1).dur * 1000).toFixed(2)} ms): ${sumUp(slow)}`);
    // Worker bursts: runs of worker samples with gaps under 1 ms; how long, and the slow requests in them.
    const bursts = [];
    for (const s of samples) {
      if (s.what !== 'worker') continue;
      const last = bursts.at(-1);
      if (last && s.t - last.end < 0.001) last.end = s.t; else bursts.push({ start: s.t, end: s.t, n: 0 });
      bursts.at(-1).n++;
    }
    const lens = bursts.map((b) => b.n * period * 1000).sort((a, b) => a - b);
    const overlapsBurst = (r) => bursts.some((b) => b.start <= r.start + r.dur && b.end >= r.start);
    console.log(`audit worker: ${bursts.length} bursts, CPU per burst median ${lens[Math.floor(lens.length / 2)]?.toFixed(2)} ms, longest ${lens.at(-1)?.toFixed(2)} ms; slowest 1% overlapping a burst ${slow.filter(overlapsBurst).length}/${slow.length}, all requests ${((inRecording.filter(overlapsBurst).length * 100) / inRecording.length).toFixed(0)}%`);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
