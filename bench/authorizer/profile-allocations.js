// `node bench/authorizer/profile-allocations.js [seconds]`: what the AuthorizeRequest round trip
// of bench:authorizer (4 connections, warm principal, SQLite) allocates on the server's main thread,
// by V8's sampling heap profiler (allocation-sampler.js, preloaded into `castellan serve`): bytes
// per request by allocating function (self) and by function on the stack (inclusive). Allocation
// drives the young collections, and with them much of the latency tail.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authorizeCall, clientRequest, question, setUp } from './requests.js';
import { benchRoot, benchServerEnv, runLoad } from '../api/processes.js';

const [seconds = '5'] = process.argv.slice(2);
const ACCOUNT_ID = '210987654321';
const CLI = fileURLToPath(new URL('../../packages/cli/bin/castellan.js', import.meta.url));
const SAMPLER = fileURLToPath(new URL('./allocation-sampler.js', import.meta.url));
const root = benchRoot();
const dir = await mkdtemp(join(tmpdir(), 'castellan-alloc-'));
const file = join(dir, 'allocations.heapprofile');
const child = spawn(process.execPath, ['--import', SAMPLER, CLI, 'serve', '--port', '0'], {
  env: {
    ...process.env, ...benchServerEnv(dir, root, ACCOUNT_ID),
    CASTELLAN_ALLOCATION_PROFILE: file,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
const waitFor = (re) => new Promise((resolve, reject) => {
  const t = setInterval(() => { const m = re.exec(out); if (m) { clearInterval(t); resolve(m); } }, 20);
  child.once('exit', (c) => { clearInterval(t); reject(new Error(`castellan exited ${c}: ${out.slice(-2000)}`)); });
});
let profile;
let requests = 0;
try {
  const url = (await waitFor(/Castellan is listening on (http:\/\/\S+)/))[1];
  const { service, reader } = await setUp(url, root, 10);
  const q = question(await clientRequest(reader, 'photos/cat.jpg'), 'photos/cat.jpg', ACCOUNT_ID);
  const call = authorizeCall(new URL(url).host, service, q);
  await runLoad({ url, connections: 4, durationSeconds: 3, request: call });
  child.kill('SIGUSR2');
  await waitFor(/allocation sampling started/);
  const r = await runLoad({ url, connections: 4, durationSeconds: Number(seconds), request: call });
  requests = r.requests.total;
  child.kill('SIGUSR2');
  await waitFor(/allocation profile written/);
  profile = JSON.parse(await readFile(file, 'utf8'));
  console.log(`${requests} requests (${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms)`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(dir, { recursive: true, force: true });
}
const label = (cf) => `${cf.functionName || '(anon)'} ${cf.url.replace(/^.*node_modules\//, '').replace(/^.*packages\//, '')}:${cf.lineNumber + 1}`;
const self = new Map();
const inclusive = new Map();
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
let total = 0;
const walk = (node, stack) => {
  const l = label(node.callFrame);
  const bytes = node.selfSize;
  total += bytes;
  add(self, l, bytes);
  const here = stack.includes(l) ? stack : [...stack, l];
  for (const s of here) add(inclusive, s, bytes);
  for (const c of node.children) walk(c, here);
};
walk(profile.head, []);
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(v / requests).toFixed(0).padStart(7)} B  ${k}`).join('\n');
console.log(`${(total / requests).toFixed(0)} bytes sampled per request\n\nself (allocating function)\n${top(self, 45)}\n\ninclusive\n${top(inclusive, 70)}`);
