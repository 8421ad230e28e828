// `node bench/api/perf.js [GetCallerIdentity|GetUser|GetUserDenied] [seconds]`: runs `castellan serve`
// (SQLite, temporary folder) under one bench:api case at 32 connections and samples its request
// thread with Linux `perf` (JIT frames named by `--perf-basic-prof`), so the kernel's share of a
// request (the socket write, waking the client) shows beside the JavaScript's, which `--cpu-prof`
// (profile.js) folds into one "writev" line. Prints self time by symbol and inclusive time of the
// JavaScript functions; `perf report -i <file>` reads the recording further.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_USER, OTHER_USER, setUpAccount } from './account-setup.js';
import { benchRoot, benchServerEnv, runLoad, startCastellanProcess } from './processes.js';
import { signedQuery } from './sign-request.js';
import { perfNodeArgs, perfRecord, rows, run } from './perf-tools.js';

const ACCOUNT_ID = '210987654321';
const CASES = { GetCallerIdentity: ['sts', 'GetCallerIdentity', {}], GetUser: ['iam', 'GetUser', { UserName: BENCH_USER }], GetUserDenied: ['iam', 'GetUser', { UserName: OTHER_USER }] };
const [caseName = 'GetCallerIdentity', seconds = '5'] = process.argv.slice(2);
if (!CASES[caseName]) throw new Error(`unknown case \`${caseName}\`; one of ${Object.keys(CASES).join(', ')}`);


const dir = await mkdtemp(join(tmpdir(), 'castellan-perf-'));
const data = join(dir, 'perf.data');
const root = benchRoot();
const server = await startCastellanProcess(benchServerEnv(dir, root, ACCOUNT_ID), perfNodeArgs(dir));
try {
  const user = await setUpAccount(server.url, root, ACCOUNT_ID);
  const [service, action, params] = CASES[caseName];
  const request = signedQuery({ host: new URL(server.url).host, service, action, params, credentials: user, date: new Date() });
  await runLoad({ url: server.url, durationSeconds: 3, connections: 32, request }); // warm-up: JIT, caches
  // `-t pid`: the main thread only (the audit and checkpoint workers are threads of the same process).
  const done = perfRecord([String(server.pid)], data, seconds);
  const r = await runLoad({ url: server.url, durationSeconds: Number(seconds) + 1, connections: 32, request });
  await done;
  console.log(`${caseName}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms; recording ${data}\n`);
  console.log('by object (self)\n' + rows(await run('perf', ['report', '-i', data, '--no-children', '--sort', 'dso', '-g', 'none']), 6));
  console.log('\nby symbol (self)\n' + rows(await run('perf', ['report', '-i', data, '--no-children', '--sort', 'sym', '-g', 'none']), 40));
  console.log('\nJavaScript, inclusive\n' + rows(await run('perf', ['report', '-i', data, '--children', '--sort', 'sym', '-g', 'none']), 40, (l) => l.includes('JS:')));
} finally {
  await server.stop();
}
