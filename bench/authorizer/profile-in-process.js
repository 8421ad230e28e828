// `node bench/authorizer/profile-in-process.js [seconds]`: the in-process check of
// bench:authorizer (InProcessAuthorizer over 256 distinct signed GetObjects, 10 identity policies
// and the bucket policy) on this thread, profiled with the inspector during the loop only, then
// CPU µs per check and where that CPU went (self time by function and by file, inclusive time).
// `castellan serve` (SQLite, temporary folder) only serves the one round trip that fetches the
// snapshot.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CastellanAuthorizer, InProcessAuthorizer } from '@castellan/authorizer-client';
import { checkFor, clientRequest, question, setUp } from './requests.js';
import { ACCOUNT_ID, add } from '../api/cpu-profile.js';
import { benchRoot, benchServerEnv, startCastellanProcess } from '../api/processes.js';

const seconds = Number(process.argv[2] ?? '3');
const root = benchRoot();
const dir = await mkdtemp(join(tmpdir(), 'castellan-profile-in-process-'));
const server = await startCastellanProcess({
  ...benchServerEnv(dir, root, ACCOUNT_ID),
});
let profile;
let checks = 0;
let cpuSeconds = 0;
let elapsed = 0;
let unprofiled = '';
try {
  const { service, reader } = await setUp(server.url, root, 10);
  const client = new CastellanAuthorizer({ endpoint: server.url, service: 's3', credentials: service });
  const local = new InProcessAuthorizer({ castellan: client, audit: 'off', refreshAfterMs: 3_600_000 });
  const questions = [];
  for (let i = 0; i < 256; i++) questions.push(question(await clientRequest(reader, `photos/${i}.jpg`), `photos/${i}.jpg`, ACCOUNT_ID));
  const warm = await local.authorize(questions[0]);
  if (!warm.authenticated || !warm.allowed) throw new Error(`the in-process check is not allowed: ${JSON.stringify(warm)}`);
  client.close();
  const loop = (s) => checkFor(local, questions, s);
  await loop(1); // JIT warm-up
  // Unprofiled first: the sampling profiler's own cost is not the check's.
  {
    const cpu0 = process.cpuUsage();
    const n = await loop(seconds);
    const cpu = process.cpuUsage(cpu0);
    unprofiled = ((cpu.user + cpu.system) / n).toFixed(2);
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  checks = await loop(seconds);
  elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  cpuSeconds = (cpu.user + cpu.system) / 1e6;
  ({ profile } = await session.post('Profiler.stop'));
  session.disconnect();
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
const file = join(tmpdir(), `in-process-${Date.now()}.cpuprofile`);
await writeFile(file, JSON.stringify(profile));
const { nodes, samples, timeDeltas } = profile;
const byId = new Map(nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (id) => {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  return `${functionName || '(anon)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*packages\//, '')}:${lineNumber + 1}`;
};
const self = new Map();
samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n');
const byFn = new Map();
const byFile = new Map();
const inclusive = new Map();
for (const [id, t] of self) {
  add(byFn, label(id), t);
  add(byFile, label(id).replace(/^\S+ /, '').replace(/:.*$/, '') || '(native)', t);
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) if (!seen.has(label(p))) { seen.add(label(p)); add(inclusive, label(p), t); }
}
console.log(`in-process, unprofiled: ${unprofiled} CPU µs/check`);
console.log(`in-process, profiled: ${checks} checks in ${elapsed.toFixed(2)} s: ${Math.round(checks / elapsed).toLocaleString('en-US')} checks/s, ${((cpuSeconds / checks) * 1e6).toFixed(2)} CPU µs/check (${Math.round(checks / cpuSeconds).toLocaleString('en-US')} per CPU-second)`);
console.log(`profile: ${file}\n\nself time by function\n${top(byFn, 40)}\n\nself time by file\n${top(byFile, 20)}\n\ninclusive time\n${top(inclusive, 50)}`);
