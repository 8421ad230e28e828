// `node bench/api/profile.js [case] [seconds]`: runs `castellan serve` (SQLite, temporary folder)
// with `--cpu-prof` under one bench:api case and prints where its CPU time went (self time by
// function and by file). The profile itself is left in the printed folder for Chrome DevTools.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_USER, OTHER_USER, setUpAccount } from './account-setup.js';
import { runLoad, startCastellanProcess } from './processes.js';
import { signedQuery } from './sign-request.js';

const [caseName = 'GetUser', seconds = '5'] = process.argv.slice(2);
const ACCOUNT_ID = '210987654321';
const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: `bench-root-${randomBytes(16).toString('hex')}` };
const dir = await mkdtemp(join(tmpdir(), 'castellan-profile-'));
const profDir = join(dir, 'profile');
const server = await startCastellanProcess({
  CASTELLAN_DATA_DIR: dir, CASTELLAN_ACCOUNT_ID: ACCOUNT_ID, CASTELLAN_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
  CASTELLAN_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey, CASTELLAN_MASTER_KEY: randomBytes(32).toString('hex'),
  CASTELLAN_RATE_LIMIT_PER_KEY: '0', CASTELLAN_RATE_LIMIT_PER_ADDRESS: '0', CASTELLAN_TRAIL_EXPORT_MINUTES: '0',
  CASTELLAN_LOG_LEVEL: 'warn',
}, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
try {
  const user = await setUpAccount(server.url, ROOT, ACCOUNT_ID);
  const host = new URL(server.url).host;
  // Each case: the load spec's request part (see load.js) and its connections, as in bench:api.
  const cases = {
    GetUser: () => ({ connections: 32, request: signedQuery({ host, service: 'iam', action: 'GetUser', params: { UserName: BENCH_USER }, credentials: user, date: new Date() }) }),
    // Another user, whom the group's inline policy denies to the bench user (403).
    GetUserDenied: () => ({ connections: 32, request: signedQuery({ host, service: 'iam', action: 'GetUser', params: { UserName: OTHER_USER }, credentials: user, date: new Date() }) }),
    GetCallerIdentity: () => ({ connections: 32, request: signedQuery({ host, service: 'sts', action: 'GetCallerIdentity', params: {}, credentials: user, date: new Date() }) }),
    // A new tag value per request, so every call changes the user (a real write, cache invalidation and audit event).
    TagUser: () => ({ connections: 4, tagUser: { userName: BENCH_USER, credentials: user, region: 'us-east-1' } }),
  };
  if (!cases[caseName]) throw new Error(`unknown case \`${caseName}\`; one of ${Object.keys(cases).join(', ')}`);
  const r = await runLoad({ url: server.url, durationSeconds: Number(seconds), ...cases[caseName]() });
  console.log(`${caseName}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`);
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
  if (i >= windowStart) self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
const byFn = new Map();
const byFile = new Map();
for (const [id, t] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^.*packages\//, '');
  add(byFn, `${functionName || '(anon)'} ${short}:${lineNumber + 1}`, t);
  add(byFile, short.replace(/:.*$/, '') || '(native)', t);
}
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`profile: ${file}\n\nself time by function\n${top(byFn, 40)}\n\nself time by file\n${top(byFile, 30)}`);

// Who calls the heaviest functions: their self time split by the chain of their three nearest callers.
const parent = new Map();
for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (id) => {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  return `${functionName || '(anon)'}@${url.replace(/^.*\//, '')}:${lineNumber + 1}`;
};
const heaviest = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k]) => k);
for (const fn of heaviest) {
  const chains = new Map();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (`${functionName || '(anon)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*packages\//, '')}:${lineNumber + 1}` !== fn) continue;
    const chain = [];
    for (let p = parent.get(id), i = 0; p !== undefined && i < 5; p = parent.get(p), i++) chain.push(name(p));
    add(chains, chain.join(' < '), t);
  }
  console.log(`\n${fn}\n${top(chains, 4)}`);
}
