// `node bench/authorizer/profile.js [seconds]`: runs `castellan serve` (SQLite, temporary folder)
// with `--cpu-prof` under bench:authorizer's AuthorizeRequest round trip (4 connections, warm
// principal) and prints where its CPU time went during the load (self time by function and by
// file, hottest stacks), like bench/api/profile.js. The profile is left in the printed folder.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizeCall, clientRequest, question, setUp } from './requests.js';
import { runLoad, startCastellanProcess } from '../api/processes.js';

const [seconds = '5'] = process.argv.slice(2);
const ACCOUNT_ID = '210987654321';
const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: `bench-root-${randomBytes(16).toString('hex')}` };
const dir = await mkdtemp(join(tmpdir(), 'castellan-profile-authorizer-'));
const profDir = join(dir, 'profile');
const server = await startCastellanProcess({
  CASTELLAN_DATA_DIR: dir, CASTELLAN_ACCOUNT_ID: ACCOUNT_ID, CASTELLAN_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
  CASTELLAN_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey, CASTELLAN_MASTER_KEY: randomBytes(32).toString('hex'),
  CASTELLAN_RATE_LIMIT_PER_KEY: '0', CASTELLAN_RATE_LIMIT_PER_ADDRESS: '0', CASTELLAN_TRAIL_EXPORT_MINUTES: '0',
  CASTELLAN_LOG_LEVEL: 'warn',
}, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
try {
  const { service, reader } = await setUp(server.url, ROOT, 10);
  const q = question(await clientRequest(reader, 'photos/cat.jpg'), 'photos/cat.jpg', ACCOUNT_ID);
  const call = authorizeCall(new URL(server.url).host, service, q);
  await runLoad({ url: server.url, connections: 4, durationSeconds: 3, request: call }); // warm-up (see run.js)
  const r = await runLoad({ url: server.url, connections: 4, durationSeconds: Number(seconds), request: call });
  console.log(`AuthorizeRequest: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`);
} finally {
  await server.stop();
}
const file = join(profDir, (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile')));
const { nodes, samples, timeDeltas } = JSON.parse(await readFile(file, 'utf8'));
const byId = new Map(nodes.map((n) => [n.id, n]));
// Only the load's samples: the last `seconds` of the profile (set-up and module loading come before).
const self = new Map();
let windowStart = samples.length;
for (let t = 0; windowStart > 0 && t < Number(seconds) * 1e6; ) t += timeDeltas[--windowStart] ?? 0;
samples.forEach((id, i) => {
  if (i >= windowStart && byId.get(id).callFrame.functionName !== '(idle)') self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
const label = (id) => {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  return `${functionName || '(anon)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*packages\//, '')}:${lineNumber + 1}`;
};
const byFn = new Map();
const byFile = new Map();
for (const [id, t] of self) {
  add(byFn, label(id), t);
  add(byFile, label(id).replace(/^\S+ /, '').replace(/:.*$/, '') || '(native)', t);
}
// Inclusive time: each function once per sample, wherever it is on the stack.
const parent = new Map();
for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map();
for (const [id, t] of self) {
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) if (!seen.has(label(p))) { seen.add(label(p)); add(inclusive, label(p), t); }
}
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`profile: ${file} (busy ${Math.round(total / 1000)} ms)\n\nself time by function\n${top(byFn, 40)}\n\nself time by file\n${top(byFile, 30)}\n\ninclusive time\n${top(inclusive, 60)}`);

// Where p99 comes from: the longest uninterrupted stretches of samples in one activity block the
// event loop for that long (wall-clock: on a loaded machine, time the process was descheduled counts).
const stalls = { 'audit append (batched INSERT)': 'store/sql/audit-events.js', 'garbage collector': '(garbage collector) ', 'socket writes': 'writev ' };
const inActivity = new Map();
for (const [what, needle] of Object.entries(stalls)) {
  const cached = new Map();
  const hit = (id) => {
    if (!cached.has(id)) {
      let found = false;
      for (let p = id; p !== undefined && !found; p = parent.get(p)) found = label(p).includes(needle);
      cached.set(id, found);
    }
    return cached.get(id);
  };
  const runs = [];
  let run = 0;
  samples.forEach((id, i) => {
    if (i < windowStart) return;
    if (hit(id)) run += timeDeltas[i] ?? 0;
    else if (run > 0) { runs.push(run); run = 0; }
  });
  runs.sort((a, b) => b - a);
  inActivity.set(what, `${runs.length} stretches, ${Math.round(runs.reduce((a, b) => a + b, 0) / 1000)} ms in all, longest ${runs.slice(0, 5).map((r) => (r / 1000).toFixed(1)).join(', ')} ms`);
}
console.log(`\nevent-loop stalls\n${[...inActivity].map(([k, v]) => `${k.padEnd(30)} ${v}`).join('\n')}`);
