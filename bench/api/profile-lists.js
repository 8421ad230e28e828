// `node bench/api/profile-lists.js [--dialect sqlite|postgres] [--seconds 4] [--rows 3000] [--profile]`:
// the per-row cost of a listed page (issue 11). Runs `castellan serve` on a fresh database, seeds
// its account with `rows` users and customer managed policies (seed-scale.js), and measures, as
// the root user at 4 connections, each listing with MaxItems=100 and MaxItems=2: the server's
// CPU µs per request of both, and their difference per extra row. With `--profile` the server runs
// under `--cpu-prof` and the self time of the MaxItems=100 cases is printed by function.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { add } from './cpu-profile.js';
import { cpuSeconds, runLoad } from './processes.js';
import { startListsServer } from './lists-server.js';
import { ROOT } from './run-support.js';
import { signedQuery } from './sign-request.js';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'sqlite' },
    seconds: { type: 'string', default: '4' },
    rows: { type: 'string', default: '3000' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string', default: '' },
    rounds: { type: 'string', default: '3' },
  },
});
const seconds = Number(args.seconds);
const dir = await mkdtemp(join(tmpdir(), 'castellan-profile-lists-'));
const profDir = join(dir, 'profile');
const server = await startListsServer({ dir, dialect: args.dialect, rows: Number(args.rows), nodeArgs: args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [] });
const windows = [];
try {
  const host = new URL(server.url).host;
  const cases = [
    ['ListUsers', {}],
    ['ListPolicies', { Scope: 'Local' }],
    ['ListPolicies', { Scope: 'Local', OnlyAttached: 'true' }],
    ['GetAccountAuthorizationDetails', {}],
  ].filter(([a]) => !args.only || args.only.split(',').includes(a));
  for (const [action, params] of cases) {
    const label = `${action} ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ')}`.trim();
    const cpu = { 100: [], 2: [] };
    // A warm-up first, so that the first case does not pay for compiling the server's code.
    await runLoad({ url: server.url, connections: 4, durationSeconds: 1, request: signedQuery({ host, service: 'iam', action, params: { ...params, MaxItems: 100 }, credentials: ROOT, date: new Date() }) });
    // The two page sizes in turn, `rounds` times, so the machine's load drifts over both alike.
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const maxItems of [100, 2]) {
        const request = signedQuery({ host, service: 'iam', action, params: { ...params, MaxItems: maxItems }, credentials: ROOT, date: new Date() });
        const before = await cpuSeconds(server.pid);
        const start = process.hrtime.bigint();
        const r = await runLoad({ url: server.url, connections: 4, durationSeconds: seconds, request });
        windows.push({ label, maxItems, start, end: process.hrtime.bigint(), requests: r.requests.total });
        const after = await cpuSeconds(server.pid);
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${action}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        cpu[maxItems].push(((after - before) * 1e6) / r.requests.total);
      }
    }
    const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    cpu[100] = median(cpu[100]);
    cpu[2] = median(cpu[2]);
    console.log(`${label.padEnd(44)} CPU µs/req MaxItems=100 ${cpu[100].toFixed(0).padStart(6)}  MaxItems=2 ${cpu[2].toFixed(0).padStart(6)}  ratio ${(cpu[100] / cpu[2]).toFixed(2)}  per extra row ${((cpu[100] - cpu[2]) / 98).toFixed(2)} µs`);
  }
} finally {
  await server.stop();
}
if (args.profile) {
  // Each case's samples, as µs of main-thread CPU per request by function, and what the
  // MaxItems=100 window spends more than the MaxItems=2 one: the cost of 98 more rows.
  const file = join(profDir, (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile')));
  const { nodes, samples, timeDeltas, startTime } = JSON.parse(await readFile(file, 'utf8'));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const label = (id) => {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    return `${functionName || '(anon)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*packages\//, '')}:${lineNumber + 1}`;
  };
  // Profile times are µs of the monotonic clock, as process.hrtime's (ns) of this process.
  const perWindow = windows.map((w) => ({ ...w, a: Number(w.start / 1000n), b: Number(w.end / 1000n), byFn: new Map() }));
  let t = startTime;
  samples.forEach((id, i) => {
    t += timeDeltas[i] ?? 0;
    if (byId.get(id).callFrame.functionName === '(idle)') return;
    const w = perWindow.find((x) => t >= x.a && t <= x.b);
    if (w) add(w.byFn, label(id), (timeDeltas[i] ?? 0) / w.requests);
  });
  console.log(`\nprofile ${file}`);
  // The rounds of one case and page size together (per request: weighted by their requests).
  const merged = new Map();
  for (const w of perWindow) {
    const key = `${w.label} ${w.maxItems}`;
    const m = merged.get(key) ?? { label: w.label, maxItems: w.maxItems, requests: 0, byFn: new Map(), parts: [] };
    m.parts.push(w);
    m.requests += w.requests;
    merged.set(key, m);
  }
  for (const m of merged.values()) for (const w of m.parts) for (const [k, v] of w.byFn) add(m.byFn, k, (v * w.requests) / m.requests);
  const cases = [...merged.values()];
  for (let i = 0; i < cases.length; i += 2) {
    const [big, small] = [cases[i], cases[i + 1]];
    const diff = new Map(big.byFn);
    for (const [k, v] of small.byFn) add(diff, k, -v);
    const sum = (m) => [...m.values()].reduce((x, y) => x + y, 0);
    console.log(`\n${big.label}: main-thread µs/req ${sum(big.byFn).toFixed(0)} (MaxItems=100) vs ${sum(small.byFn).toFixed(0)} (MaxItems=2); the difference by function:`);
    for (const [k, v] of [...diff].sort((x, y) => y[1] - x[1]).slice(0, 40)) console.log(`${v.toFixed(1).padStart(8)}  ${k}`);
  }
}
if (!args.profile) await rm(dir, { recursive: true, force: true });
