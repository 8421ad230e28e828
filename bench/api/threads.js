// `node bench/api/threads.js [case,case…] [seconds]`: runs `castellan serve` (SQLite, temporary folder)
// and the bare Node peer under one bench:api case and prints each thread's CPU time per request,
// user and system apart (Linux `/proc/<pid>/task`): where a request's cost lands, kernel included.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_USER, OTHER_USER, setUpAccount } from './account-setup.js';
import { benchRoot, benchServerEnv, runLoad, startBarePeer, startCastellanProcess, threadTimes } from './processes.js';
import { signedQuery } from './sign-request.js';

const ACCOUNT_ID = '210987654321';
const [caseNames = 'GetCallerIdentity', seconds = '5'] = process.argv.slice(2);


async function measure(label, pid, spec) {
  const before = await threadTimes(pid);
  const r = await runLoad(spec);
  const after = await threadTimes(pid);
  const n = r.requests.total;
  console.log(`\n${label}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`);
  let tu = 0, ts = 0;
  for (const [k, a] of after) {
    const b = before.get(k) ?? { user: 0, sys: 0 };
    const u = ((a.user - b.user) * 1e6) / n, s = ((a.sys - b.sys) * 1e6) / n;
    tu += u; ts += s;
    if (u + s >= 0.5) console.log(`  ${k.padEnd(28)} user ${u.toFixed(1).padStart(6)} µs  sys ${s.toFixed(1).padStart(6)} µs`);
  }
  console.log(`  ${'total'.padEnd(28)} user ${tu.toFixed(1).padStart(6)} µs  sys ${ts.toFixed(1).padStart(6)} µs`);
}

const root = benchRoot();
const dir = await mkdtemp(join(tmpdir(), 'castellan-threads-'));
const server = await startCastellanProcess({
  ...benchServerEnv(dir, root, ACCOUNT_ID),
});
const bare = await startBarePeer();
try {
  const user = await setUpAccount(server.url, root, ACCOUNT_ID);
  const host = new URL(server.url).host;
  const cases = { GetCallerIdentity: ['sts', 'GetCallerIdentity', {}], GetUser: ['iam', 'GetUser', { UserName: BENCH_USER }], GetUserDenied: ['iam', 'GetUser', { UserName: OTHER_USER }] };
  let first = true;
  for (const caseName of caseNames.split(',')) {
    if (!cases[caseName]) throw new Error(`unknown case \`${caseName}\`; one of ${Object.keys(cases).join(', ')}`);
    const [service, action, p] = cases[caseName];
    const request = signedQuery({ host, service, action, params: p, credentials: user, date: new Date() });
    await runLoad({ url: server.url, durationSeconds: 2, connections: 32, request });
    if (first) await measure('bare Node', bare.pid, { url: bare.url, durationSeconds: Number(seconds), connections: 32, request: { ...request } });
    first = false;
    await measure(`Castellan ${caseName}`, server.pid, { url: server.url, durationSeconds: Number(seconds), connections: 32, request });
  }
} finally {
  await server.stop();
  await bare.stop();
}
