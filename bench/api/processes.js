// The benchmark's child processes: Castellan (`castellan serve` from the built CLI), the bare Node
// peer and the load generator. Each runs in its own process, so the server's event loop, the
// peer's and autocannon's never share a thread, and the server's RSS is its own.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../packages/cli/bin/castellan.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-peer.js', import.meta.url));
const HONO = fileURLToPath(new URL('./hono-peer.js', import.meta.url));
const LOAD = fileURLToPath(new URL('./load.js', import.meta.url));

/** Starts `node <args>` and resolves once a stdout line matches `ready`, with the match. */
function startChild(args, env, ready, label) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const matched = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const m = ready.exec(output);
      if (m) resolve(m);
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
    child.once('exit', (code, signal) => reject(new Error(`${label} exited (${signal ?? code}) before it was ready:\n${output.slice(-2000)}`)));
    child.once('error', reject);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    matched,
    /** SIGTERM (graceful), then SIGKILL after `graceMs`. Idempotent. */
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts `castellan serve` on a free port with `env` (data folder or database URL, fixed account,
 * root key and master key). Resolves with its URL, pid and `stop()`. `nodeArgs` go before the
 * script (`--cpu-prof`, which NODE_OPTIONS refuses).
 */
/** The benchmarks' account: one id, so their set-ups and signed requests agree. */
export const BENCH_ACCOUNT_ID = '210987654321';

/** Root credentials for a benchmark server: a fixed key id and a secret of this run. */
export function benchRoot() {
  return { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: `bench-root-${randomBytes(16).toString('hex')}` };
}

/**
 * The environment of a benchmark server in `dir`: its account and root key, a fresh master key,
 * no rate limits (the load would trip them), no trail export (its timer would land in a
 * measurement) and warnings only.
 */
export function benchServerEnv(dir, root, accountId = BENCH_ACCOUNT_ID) {
  return {
    CASTELLAN_DATA_DIR: dir, CASTELLAN_ACCOUNT_ID: accountId, CASTELLAN_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    CASTELLAN_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey, CASTELLAN_MASTER_KEY: randomBytes(32).toString('hex'),
    CASTELLAN_RATE_LIMIT_PER_KEY: '0', CASTELLAN_RATE_LIMIT_PER_ADDRESS: '0', CASTELLAN_TRAIL_EXPORT_MINUTES: '0',
    CASTELLAN_LOG_LEVEL: 'warn',
  };
}

export async function startCastellanProcess(env, nodeArgs = []) {
  const c = startChild([...nodeArgs, CLI, 'serve', '--port', '0'], env, /Castellan is listening on (http:\/\/\S+)/, 'castellan serve');
  try {
    const m = await c.matched;
    return { url: m[1], pid: c.child.pid, stop: c.stop };
  } catch (err) {
    await c.stop();
    throw err;
  }
}

/** Starts the bare Node peer on a free port; `{ hono: true }` starts the Hono peer (Castellan's HTTP layer) instead. */
export async function startBarePeer({ hono = false } = {}) {
  const c = startChild([hono ? HONO : BARE], {}, /listening (\d+)/, hono ? 'hono peer' : 'bare peer');
  try {
    const m = await c.matched;
    return { url: `http://127.0.0.1:${m[1]}`, pid: c.child.pid, stop: c.stop };
  } catch (err) {
    await c.stop();
    throw err;
  }
}

/** Runs the load generator with `spec` (see load.js) and resolves with autocannon's result. */
export function runLoad(spec, register) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOAD, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const unregister = register?.(async () => { child.kill('SIGKILL'); });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    child.once('error', reject);
    child.once('exit', (code) => {
      unregister?.();
      if (code !== 0) return reject(new Error(`load generator exited with ${code}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)));
      } catch (e) {
        reject(new Error(`load generator printed no result: ${e.message}\n${err.slice(-2000)}`));
      }
    });
  });
}

/** Resident set size of process `pid` in bytes (Linux `/proc`), or `null` elsewhere. */
export async function rssBytes(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) process `pid` has used, in seconds (Linux `/proc`), or `null` elsewhere. */
export async function cpuSeconds(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
// Linux's USER_HZ, the unit of /proc/<pid>/stat times, is 100 on every common platform.
const CLOCK_TICKS = 100;

/**
 * utime and stime (seconds) of every thread of process `pid`, by `tid name` (Linux `/proc/<pid>/task`),
 * and from `schedstat` the time it waited on a run queue, runnable but without a core (`waited`, seconds).
 */
export async function threadTimes(pid) {
  const out = new Map();
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const sched = await readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').catch(() => '0 0');
    out.set(`${tid} ${name}`, { user: Number(f[11]) / CLOCK_TICKS, sys: Number(f[12]) / CLOCK_TICKS, waited: Number(sched.split(' ')[1]) / 1e9 });
  }
  return out;
}
