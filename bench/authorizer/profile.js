// `node bench/authorizer/profile.js [seconds]`: runs `castellan serve` (SQLite, temporary folder)
// with `--cpu-prof` under bench:authorizer's AuthorizeRequest round trip (4 connections, warm
// principal) and prints where its CPU time went during the load (self time by function and by
// file, hottest stacks), like bench/api/profile.js. The profile is left in the printed folder.
import { authorizeCall, clientRequest, question, setUp } from './requests.js';
import { ACCOUNT_ID, add, readLoadProfile, startProfiledCastellan } from '../api/cpu-profile.js';
import { runLoad } from '../api/processes.js';

const [seconds = '5'] = process.argv.slice(2);
const { server, root: ROOT, profDir } = await startProfiledCastellan('castellan-profile-authorizer-');
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
const { file, samples, timeDeltas, windowStart, self, total, parent, label, top } = await readLoadProfile(profDir, seconds, { withoutIdle: true });
const byFn = new Map();
const byFile = new Map();
for (const [id, t] of self) {
  add(byFn, label(id), t);
  add(byFile, label(id).replace(/^\S+ /, '').replace(/:.*$/, '') || '(native)', t);
}
// Inclusive time: each function once per sample, wherever it is on the stack.
const inclusive = new Map();
for (const [id, t] of self) {
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) if (!seen.has(label(p))) { seen.add(label(p)); add(inclusive, label(p), t); }
}
console.log(`profile: ${file} (busy ${Math.round(total / 1000)} ms)\n\nself time by function\n${top(byFn, 40)}\n\nself time by file\n${top(byFile, 30)}\n\ninclusive time\n${top(inclusive, 60)}`);

// Where p99 comes from: the longest uninterrupted stretches of samples in one activity block the
// event loop for that long (wall-clock: on a loaded machine, time the process was descheduled counts).
const stalls = {
  'audit append (batched INSERT)': 'store/sql/audit-events.js', 'audit batch post (worker)': 'store/sql/audit-append-worker.js',
  'garbage collector': '(garbage collector) ', 'socket writes': 'writev ',
  'last-used writes (SQLite)': 'services/latest-use-buffer.js', 'timers': 'listOnTimeout ', 'SQLite statements': 'better-sqlite3/',
};
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
