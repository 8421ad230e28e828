// `node bench/api/side-by-side.js OTHER_TREE [cases] [slices] [seconds]`: this tree's `castellan serve`
// and OTHER_TREE's (another commit's build: its packages, bench and node_modules) run at once
// (SQLite, temporary folders); each case loads them in alternating slices of `seconds` (32
// connections), so a busy machine weighs on both alike, and prints each build's request-thread CPU
// per call (`/proc` accounting, user + system) over the slices: median, lowest and highest.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_USER, OTHER_USER, setUpAccount } from './account-setup.js';
import { benchRoot, benchServerEnv, runLoad, threadTimes } from './processes.js';
import { signedQuery } from './sign-request.js';

const ACCOUNT_ID = '210987654321';
const [other, caseNames = 'GetCallerIdentity,GetUser,GetUserDenied', slices = '6', seconds = '2'] = process.argv.slice(2);
if (!other) throw new Error('usage: side-by-side.js OTHER_TREE [cases] [slices] [seconds]');
const otherProcesses = await import(pathToFileURL(join(resolve(other), 'bench/api/processes.js')).href);

const builds = [];
for (const [label, start] of [['this tree', (await import('./processes.js')).startCastellanProcess], ['other', otherProcesses.startCastellanProcess]]) {
  const root = benchRoot();
  const server = await start(benchServerEnv(await mkdtemp(join(tmpdir(), 'castellan-sbs-')), root, ACCOUNT_ID));
  builds.push({ label, server, user: await setUpAccount(server.url, root, ACCOUNT_ID) });
}

/** The request thread's (the process's main thread) CPU seconds. */
async function mainThread(pid) {
  for (const [k, t] of await threadTimes(pid)) if (k.startsWith(`${pid} `)) return t.user + t.sys;
  throw new Error(`no main thread for ${pid}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cases = { GetCallerIdentity: ['sts', 'GetCallerIdentity', {}], GetUser: ['iam', 'GetUser', { UserName: BENCH_USER }], GetUserDenied: ['iam', 'GetUser', { UserName: OTHER_USER }] };
try {
  for (const name of caseNames.split(',')) {
    const [service, action, params] = cases[name];
    const requests = builds.map((b) => signedQuery({ host: new URL(b.server.url).host, service, action, params, credentials: b.user, date: new Date() }));
    for (const [i, b] of builds.entries()) await runLoad({ url: b.server.url, durationSeconds: 1, connections: 32, request: requests[i] });
    const perCall = builds.map(() => []);
    for (let s = 0; s < Number(slices); s++) {
      for (const i of s % 2 === 0 ? [0, 1] : [1, 0]) {
        const b = builds[i];
        const before = await mainThread(b.server.pid);
        const r = await runLoad({ url: b.server.url, durationSeconds: Number(seconds), connections: 32, request: requests[i] });
        perCall[i].push(((await mainThread(b.server.pid)) - before) * 1e6 / r.requests.total);
      }
    }
    for (const [i, b] of builds.entries()) {
      const xs = perCall[i];
      console.log(`${name.padEnd(18)} ${b.label.padEnd(10)} request thread µs/call: median ${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`);
    }
  }
} finally {
  for (const b of builds) await b.server.stop();
}
