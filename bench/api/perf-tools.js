// What the perf samplers share (`perf.js`, `perf-lists.js`, `../authorizer/perf.js`, `../authorizer/tail.js`):
// the server's Node flags, running `perf`, and reading its text reports.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Node flags for a server sampled by `perf`: JIT frames named by `--perf-basic-prof`, and the
 * isolates' code logs it turns on written to `dir` rather than the working directory.
 */
export const perfNodeArgs = (dir) => ['--perf-basic-prof', `--logfile=${join(dir, 'v8.log')}`];

/** Runs `cmd` and resolves with its standard output (rejects if it exits non-zero). */
export const run = (cmd, args) => new Promise((resolve, reject) => {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  child.on('error', reject).on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}`))));
});

/** The first `n` data rows of a `perf report` text (comments and blank lines left out) that `keep` accepts. */
export const rows = (report, n, keep = () => true) => report.split('\n').filter((l) => l.trim() && !l.startsWith('#') && keep(l)).slice(0, n).join('\n');

/** Starts `perf record` of the threads `tids` for `seconds` into `data`; resolves when it has written. */
export function perfRecord(tids, data, seconds) {
  const perf = spawn('perf', ['record', '-q', '-F', '4999', '-g', '-t', tids.join(','), '-o', data, '--', 'sleep', String(seconds)], { stdio: 'ignore' });
  return new Promise((resolve, reject) => perf.on('error', reject).on('exit', resolve));
}
