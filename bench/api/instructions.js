// `node bench/api/instructions.js [--cases=a,b…] [--requests=N] [--warmup=N] [--repeats=N]
//   [--connections=N] [--names[=TOP]] [--no-bare]`: instructions per request, counted by valgrind's
// callgrind, for bench:api's hot-path cases and for the bare Node peer (the same fixed-body server
// bench:api compares with). Instruction counts do not depend on what else runs on the machine, so
// two builds can be compared on a busy host where requests/s and even CPU time move by a fifth.
//
// `castellan serve` (SQLite, temporary folder) and the bare peer each run under
// `valgrind --tool=callgrind --separate-threads=yes`; the load comes from this process (outside
// valgrind, so its instructions are not counted): exactly `requests` signed requests over
// `connections` keep-alive connections. Around each measured batch `callgrind_control -z` zeroes the
// counters and `callgrind_control -d` dumps them, so start-up, the account's set-up and the warm-up
// are left out. Printed per request: the request thread's instructions (thread 1, the event loop), the
// audit worker's and the WAL checkpointer's (told apart by the SQLite functions they run) and V8's
// and libuv's helper threads' (compilers, GC, the thread pool). With `--names` Node runs with
// `--perf-basic-prof` and the request thread's heaviest functions of the last batch are listed by
// self instructions, JIT code named from V8's `/tmp/perf-PID.map`.
//
// What this leaves out: the kernel's work (the socket's read and write are system calls, not
// counted), and the way a slower server batches its work: under valgrind a request takes some 50×
// longer, so the audit worker's batches are smaller than under bench:api's load (see
// docs/PERFORMANCE.md, "Instruction counts").
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_USER, OTHER_USER, setUpAccount } from './account-setup.js';
import { benchRoot, benchServerEnv } from './processes.js';
import { signedQuery } from './sign-request.js';

const ACCOUNT_ID = '210987654321';
// `--tree=DIR`: another commit's build (its packages and a node_modules whose @castellan links
// point into it) serves instead of this tree's, for a before/after comparison.
const treeOption = process.argv.find((a) => a.startsWith('--tree='))?.slice('--tree='.length);
const CLI = treeOption ? join(treeOption, 'packages/cli/bin/castellan.js') : fileURLToPath(new URL('../../packages/cli/bin/castellan.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-peer.js', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const a = args.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (a === undefined) return fallback;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};
const caseNames = String(option('cases', 'GetCallerIdentity,GetCallerIdentitySession,GetUser,GetUserDenied')).split(',');
const requests = Number(option('requests', 500));
// The warm-up runs at 32 connections (a few times faster under valgrind than one) and long enough
// for V8 to stop tiering up: with 1 connection bare Node still had 20 functions optimized between its
// 3,500th and 4,000th request, the same ones in every run.
const warmup = Number(option('warmup', 15000));
const warmupConnections = Number(option('warmup-connections', 32));
const maxSettle = Number(option('settle', 10));
const repeats = Number(option('repeats', 3));
// One connection by default: each turn of the server's event loop then serves exactly one request,
// so the loop's own cost per request does not depend on how the host schedules client and server
// (with 32, bare Node's count moved by half between batches; Castellan's by 8%).
const connections = Number(option('connections', 1));
const names = option('names', false);
const topN = names === true ? 40 : Number(names || 0);

/** Runs `cmd args` to its end; rejects on a non-zero exit. */
const run = (cmd, argv) => new Promise((resolve, reject) => {
  const c = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  c.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  c.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
  c.on('error', reject).on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.join(' ')} exited ${code}: ${out}`))));
});

/** Starts `node nodeArgs…` under callgrind; resolves once its stdout matches `ready`. */
async function startUnderCallgrind(outDir, nodeArgs, env, ready) {
  const valgrindArgs = ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${join(outDir, 'cg.%p')}`];
  // TurboFan compiles on the request thread (`--no-concurrent-recompilation`): otherwise when its
  // code is installed depends on how threads are scheduled, and the count of a warm-up that ends
  // early moves by a tenth. After the warm-up nothing is compiled, so the counted batches are as
  // in production (the garbage collector's helper threads stay on).
  // The memory reducer and bytecode flushing are off: under valgrind a batch takes minutes, and the
  // reducer, which collects when the allocation rate falls (an idle server), then runs full
  // collections that age and flush bytecode, so functions are compiled again and again. A loaded
  // server at full speed does neither.
  const node = ['--no-concurrent-recompilation', '--no-memory-reducer', '--no-flush-bytecode', ...(topN ? ['--perf-basic-prof', `--logfile=${join(outDir, 'v8.log')}`] : []), ...nodeArgs];
  const child = spawn('valgrind', [...valgrindArgs, process.execPath, ...node], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const match = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d) => { output += d; const m = ready.exec(output); if (m) resolve(m); });
    child.stderr.setEncoding('utf8').on('data', (d) => { output += d; });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready:\n${output.slice(-3000)}`)));
  });
  return {
    match,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Sends exactly `n` copies of `request` over `c` keep-alive connections; every answer must have status `status`. */
async function load(url, request, n, c, status) {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: c });
  const body = Buffer.from(request.body);
  const headers = { ...request.headers, 'content-length': String(body.length) };
  let sent = 0;
  // A keep-alive connection the server closed as it was reused (its 5-second idle limit, easily
  // reached on a loaded host under valgrind) is reset before the request is read: sent again.
  const one = async (tries = 3) => {
    try {
      return await once();
    } catch (err) {
      if (err.code !== 'ECONNRESET' || tries === 1) throw err;
      return one(tries - 1);
    }
  };
  const once = () => new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method: request.method, path: request.path, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => { text += d; }).on('end', () => (res.statusCode === status ? resolve() : reject(new Error(`status ${res.statusCode}, expected ${status}: ${text.slice(0, 500)}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
  try {
    await Promise.all(Array.from({ length: c }, async () => { while (sent < n) { sent += 1; await one(); } }));
  } finally {
    agent.destroy();
  }
}

/**
 * Zeroes the counters of `pid`, runs `work`, dumps them and reads the dump back: each thread's
 * instructions, and the files (for `--names`).
 */
async function counted(outDir, pid, work) {
  const before = new Set(await readdir(outDir));
  await run('callgrind_control', ['-z', String(pid)]);
  await work();
  await run('callgrind_control', ['-d', String(pid)]);
  const files = (await readdir(outDir)).filter((f) => f.startsWith(`cg.${pid}.`) && !before.has(f));
  const threads = [];
  for (const f of files) {
    const text = await readFile(join(outDir, f), 'utf8');
    const thread = Number(/^thread: (\d+)/m.exec(text)[1]);
    threads.push({ file: join(outDir, f), thread, instructions: Number(/^summary: (\d+)/m.exec(text)[1]), kind: kindOf(text), jit: thread === 1 ? jitInstructions(text) : 0 });
  }
  return threads.sort((a, b) => a.thread - b.thread);
}

/**
 * V8 compiling or deoptimizing on the request thread (inclusive): parsing, bytecode, Sparkplug,
 * TurboFan and deoptimization entered from running code. Thousands of requests after the start a
 * function still gets (re)optimized now and then, each time tens of millions of instructions, which
 * would make one batch of a few hundred requests count a tenth to a half more than the next; the
 * steady state a long-running server reaches is the count without them.
 */
const JIT_ENTRY = /^(v8::internal::Runtime_(Compile|InstallBaselineCode|NotifyDeoptimized|HealOptimizedCodeSlot|TierUp|FunctionFirstExecution)|v8::internal::Compiler::|v8::internal::Deoptimizer::|v8::internal::(anonymous namespace)::Compile|v8::internal::parsing::|v8::internal::maglev::|v8::internal::baseline::)/;
export function jitInstructions(text) {
  const names = new Map();
  let caller = '';
  let callee = '';
  let afterCall = false;
  let total = 0;
  for (const line of text.split('\n')) {
    let m;
    if ((m = /^fn=\((\d+)\)(?: (.*))?$/.exec(line))) {
      if (m[2] !== undefined) names.set(m[1], m[2]);
      caller = names.get(m[1]) ?? '';
    } else if ((m = /^cfn=\((\d+)\)(?: (.*))?$/.exec(line))) {
      if (m[2] !== undefined) names.set(m[1], m[2]);
      callee = names.get(m[1]) ?? '';
    } else if (line.startsWith('calls=')) {
      afterCall = true;
    } else if (/^[0-9+\-*]/.test(line)) {
      // The cost line after `calls=` is the call's inclusive cost; a call from one JIT entry into
      // another is already inside the first.
      if (afterCall && JIT_ENTRY.test(callee) && !JIT_ENTRY.test(caller)) total += Number(line.split(' ').at(-1));
      afterCall = false;
    }
  }
  return total;
}

/** Which of the process's threads a dump is: the request thread, a SQLite worker of Castellan's, or a helper. */
function kindOf(text) {
  if (/^thread: 1$/m.test(text)) return 'request thread';
  if (/^c?fn=\(\d+\) sqlite3WalCheckpoint/m.test(text) || /^c?fn=\(\d+\) sqlite3_wal_checkpoint/m.test(text)) return 'checkpoint worker';
  if (/^c?fn=\(\d+\) sqlite3VdbeExec/m.test(text)) return 'audit worker';
  return 'V8 and libuv helpers';
}

/** Instructions per request by thread kind. */
function perRequest(threads, n) {
  const out = {};
  for (const t of threads) out[t.kind] = (out[t.kind] ?? 0) + t.instructions / n;
  out.total = threads.reduce((s, t) => s + t.instructions, 0) / n;
  // The figures compared: without the request thread's compiling (see JIT_ENTRY).
  out['request thread JIT'] = threads.reduce((s, t) => s + t.jit, 0) / n;
  out['request thread, no JIT'] = out['request thread'] - out['request thread JIT'];
  out['total, no JIT'] = out.total - out['request thread JIT'];
  return out;
}

/** The request thread's heaviest functions by self instructions, JIT code named from the perf map. */
async function topFunctions(file, pid, n, count) {
  const map = (await readFile(`/tmp/perf-${pid}.map`, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => {
    const [start, size, ...name] = l.split(' ');
    return { start: parseInt(start, 16), end: parseInt(start, 16) + parseInt(size, 16), name: name.join(' ') };
  }).sort((a, b) => a.start - b.start);
  const jitName = (addr) => {
    let lo = 0, hi = map.length - 1, found;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (map[mid].start <= addr) { found = map[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return found && addr < found.end ? found.name : `0x${addr.toString(16)} (unnamed)`;
  };
  const names = new Map();
  const self = new Map();
  let fn;
  let afterCall = false;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    let m;
    if ((m = /^fn=\((\d+)\)(?: (.*))?$/.exec(line))) {
      if (m[2] !== undefined) names.set(m[1], m[2]);
      fn = m[1];
      afterCall = false;
    } else if ((m = /^cfn=\((\d+)\)(?: (.*))?$/.exec(line))) {
      if (m[2] !== undefined) names.set(m[1], m[2]);
    } else if (line.startsWith('calls=')) {
      afterCall = true;
    } else if (/^[0-9+\-*]/.test(line)) {
      // The line after `calls=` is the call's inclusive cost, not the caller's own.
      if (!afterCall && fn !== undefined) self.set(fn, (self.get(fn) ?? 0) + Number(line.split(' ').at(-1)));
      afterCall = false;
    }
  }
  const byName = new Map();
  for (const [id, ir] of self) {
    const raw = names.get(id) ?? id;
    const name = /^0x[0-9a-f]+$/.test(raw) ? jitName(parseInt(raw, 16)) : raw;
    byName.set(name, (byName.get(name) ?? 0) + ir);
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  return [...byName].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([name, ir]) => `${(ir / n).toFixed(0).padStart(8)} ${((ir / total) * 100).toFixed(1).padStart(5)}%  ${name}`).join('\n');
}

/** Measures `request` on the server at `url` (pid `pid`): warm-up, then `repeats` counted batches. */
async function measure(label, outDir, server, url, request, status) {
  await load(url, request, warmup, warmupConnections, status);
  // Then counted batches as measured until V8 has (nearly) stopped compiling on the request thread:
  // the measured connection count takes paths the warm-up's did not, whose functions tier up later.
  for (let i = 0; i < maxSettle; i++) {
    const r = perRequest(await counted(outDir, server.pid, () => load(url, request, requests, connections, status)), requests);
    if (r['request thread JIT'] <= r['request thread'] * 0.005) break;
    if (i === maxSettle - 1) console.log(`  (${label}: V8 still compiling after ${maxSettle} settling batches: ${Math.round(r['request thread JIT'])} instructions per request)`);
  }
  const rows = [];
  let last;
  for (let i = 0; i < repeats; i++) {
    last = await counted(outDir, server.pid, () => load(url, request, requests, connections, status));
    rows.push(perRequest(last, requests));
  }
  const kinds = Object.keys(rows[0]);
  console.log(`\n${label}: instructions per request over ${repeats} batches of ${requests} (${connections} connections)`);
  for (const k of kinds) {
    const xs = rows.map((r) => r[k] ?? 0);
    const med = [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const spread = med ? ((Math.max(...xs) - Math.min(...xs)) / med) * 100 : 0;
    console.log(`  ${k.padEnd(22)} ${xs.map((x) => Math.round(x).toLocaleString('en').padStart(10)).join(' ')}   spread ${spread.toFixed(1)}%`);
  }
  if (topN) console.log(`\n  ${label}, request thread, self instructions per request:\n${await topFunctions(last.find((t) => t.thread === 1).file, server.pid, requests, topN)}`);
  return Object.fromEntries(kinds.map((k) => [k, rows.map((r) => r[k] ?? 0).sort((a, b) => a - b)[Math.floor(rows.length / 2)]]));
}

/** `--bare-only`: no Castellan server. */
class Skip extends Error {}

const outDir = await mkdtemp(join(tmpdir(), 'castellan-instructions-'));
const results = {};
try {
  const cases = {
    GetCallerIdentity: (c) => ['sts', 'GetCallerIdentity', {}, c.user, 200],
    GetCallerIdentitySession: (c) => ['sts', 'GetCallerIdentity', {}, c.session, 200],
    GetUser: (c) => ['iam', 'GetUser', { UserName: BENCH_USER }, c.user, 200],
    GetUserDenied: (c) => ['iam', 'GetUser', { UserName: OTHER_USER }, c.user, 403],
  };
  for (const name of caseNames) if (!cases[name]) throw new Error(`unknown case \`${name}\`; one of ${Object.keys(cases).join(', ')}`);

  if (!option('no-bare', false)) {
    const bare = await startUnderCallgrind(outDir, [BARE], {}, /listening (\d+)/);
    try {
      const url = `http://127.0.0.1:${bare.match[1]}`;
      const request = signedQuery({ host: new URL(url).host, service: 'sts', action: 'GetCallerIdentity', params: {}, credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' }, date: new Date() });
      results['bare Node'] = await measure('bare Node', outDir, bare, url, request, 200);
    } finally {
      await bare.stop();
    }
  }

  if (option('bare-only', false)) caseNames.length = 0;
  const root = benchRoot();
  const dataDir = join(outDir, 'data');
  const server = caseNames.length === 0 ? undefined : await startUnderCallgrind(outDir, [CLI, 'serve', '--port', '0'], benchServerEnv(dataDir, root, ACCOUNT_ID), /Castellan is listening on (http:\/\/\S+)/);
  try {
    if (!server) throw new Skip();
    const url = server.match[1];
    const host = new URL(url).host;
    const user = await setUpAccount(url, root, ACCOUNT_ID);
    let session;
    if (caseNames.includes('GetCallerIdentitySession')) {
      const req = signedQuery({ host, service: 'sts', action: 'GetSessionToken', params: { DurationSeconds: 3600 }, credentials: user, date: new Date() });
      const { host: _host, ...headers } = req.headers;
      const text = await (await fetch(url, { method: 'POST', headers, body: req.body })).text();
      const field = (f) => new RegExp(`<${f}>([^<]+)</${f}>`).exec(text)?.[1];
      session = { accessKeyId: field('AccessKeyId'), secretAccessKey: field('SecretAccessKey'), sessionToken: field('SessionToken') };
    }
    for (const name of caseNames) {
      const [service, action, params, credentials, status] = cases[name]({ user, session });
      // Signed per case: a run under valgrind is slow, and a signature is good for 15 minutes.
      const request = signedQuery({ host, service, action, params, credentials, date: new Date() });
      results[name] = await measure(`Castellan ${name}`, outDir, server, url, request, status);
    }
  } catch (err) {
    if (!(err instanceof Skip)) throw err;
  } finally {
    await server?.stop();
  }
} finally {
  if (!option('keep', false)) await rm(outDir, { recursive: true, force: true });
  else console.log(`\ncallgrind files kept in ${outDir}`);
}

const bare = results['bare Node'];
console.log('\ninstructions per request, without the request thread\'s JIT compiling (medians)');
console.log('case                          request thread    whole process' + (bare ? '   bare ÷ case (request thread, process)' : ''));
for (const [name, r] of Object.entries(results)) {
  const [rt, all] = [r['request thread, no JIT'], r['total, no JIT']];
  const ratio = bare ? `   ${((bare['request thread, no JIT'] / rt) * 100).toFixed(1)}%  ${((bare['total, no JIT'] / all) * 100).toFixed(1)}%` : '';
  console.log(`${name.padEnd(28)} ${Math.round(rt).toLocaleString('en').padStart(15)} ${Math.round(all).toLocaleString('en').padStart(16)}${ratio}`);
}
console.log(JSON.stringify({ requests, repeats, connections, results }));
