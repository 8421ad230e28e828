// `node bench/api/perf-lists.js [ListUsers|ListPolicies] [seconds] [--dialect sqlite|postgres]`: as
// perf.js, for a listed page (MaxItems=100) of an account seeded with 3,000 users and policies
// (as profile-lists.js), read by the root user at 4 connections: the request thread sampled with
// Linux `perf`, so the native share of a row (the driver making its columns JavaScript values,
// string flattening and encoding, the socket write) shows by symbol beside the JavaScript's.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from './processes.js';
import { startListsServer } from './lists-server.js';
import { ROOT } from './run-support.js';
import { signedQuery } from './sign-request.js';
import { perfNodeArgs, perfRecord, rows, run } from './perf-tools.js';

const CASES = { ListUsers: {}, ListPolicies: { Scope: 'Local' } };
const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { dialect: { type: 'string', default: 'sqlite' }, 'max-items': { type: 'string', default: '100' } } });
const [action = 'ListPolicies', seconds = '5'] = positionals;
if (!CASES[action]) throw new Error(`unknown case \`${action}\`; one of ${Object.keys(CASES).join(', ')}`);


const dir = await mkdtemp(join(tmpdir(), 'castellan-perf-lists-'));
const data = join(dir, 'perf.data');
const server = await startListsServer({ dir, dialect: args.dialect, rows: 3000, nodeArgs: perfNodeArgs(dir) });
try {
  const request = signedQuery({ host: new URL(server.url).host, service: 'iam', action, params: { ...CASES[action], MaxItems: Number(args['max-items']) }, credentials: ROOT, date: new Date() });
  await runLoad({ url: server.url, durationSeconds: 3, connections: 4, request }); // warm-up: JIT, caches
  // `-t pid`: the main thread only (the audit and checkpoint workers are threads of the same process).
  const done = perfRecord([String(server.pid)], data, seconds);
  const r = await runLoad({ url: server.url, durationSeconds: Number(seconds) + 1, connections: 4, request });
  await done;
  console.log(`${action} MaxItems=${args['max-items']} (${args.dialect}): ${Math.round(r.requests.average)} req/s; recording ${data}\n`);
  console.log('by object (self)\n' + rows(await run('perf', ['report', '-i', data, '--no-children', '--sort', 'dso', '-g', 'none']), 8));
  console.log('\nby symbol (self)\n' + rows(await run('perf', ['report', '-i', data, '--no-children', '--sort', 'sym', '-g', 'none']), 60));
  console.log('\nJavaScript, inclusive\n' + rows(await run('perf', ['report', '-i', data, '--children', '--sort', 'sym', '-g', 'none']), 40, (l) => l.includes('JS:')));
} finally {
  await server.stop();
}
