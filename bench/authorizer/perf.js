// `node bench/authorizer/perf.js [seconds]`: runs `castellan serve` (SQLite, temporary folder) under
// bench:authorizer's AuthorizeRequest round trip (4 connections, warm principal, the set-up of
// threads.js) and samples its request thread and its audit worker with Linux `perf` (JIT frames
// named by `--perf-basic-prof`), so the kernel's share (the socket's read and write, waking the
// client, the worker's SQLite writes) shows beside the JavaScript's. Prints each thread's share of
// the samples, then per thread the self time by object and by symbol and the JavaScript functions'
// inclusive time; `perf report -i <file> --sort pid,sym` reads the recording further.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWarmAuthorizer } from './warm-server.js';
import { runLoad } from '../api/processes.js';
import { perfRecord, rows, run } from '../api/perf-tools.js';

const [seconds = '5'] = process.argv.slice(2);



const dir = await mkdtemp(join(tmpdir(), 'castellan-perf-authz-'));
const data = join(dir, 'perf.data');
const { server, call, worker } = await startWarmAuthorizer({ dir });
try {
  const tids = [String(server.pid), worker.tid];
  const done = perfRecord(tids, data, seconds);
  const r = await runLoad({ url: server.url, durationSeconds: Number(seconds) + 1, connections: 4, request: call });
  await done;
  console.log(`AuthorizeRequest: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}; recording ${data}`);
  console.log(`threads: request ${server.pid}, audit worker ${worker.tid} (${worker.name})\n`);
  console.log('samples by thread\n' + rows(await run('perf', ['report', '-i', data, '--no-children', '--sort', 'pid', '-g', 'none']), 4));
  // `perf report --tid` does not filter every sort order in perf 6.1, so each thread's rows are
  // read from a report sorted by thread first, in percent of that thread's own samples.
  const byThread = async (children, sort) => {
    const out = await run('perf', ['report', '-i', data, children ? '--children' : '--no-children', '--sort', `pid,${sort}`, '-g', 'none']);
    const per = new Map(tids.map((t) => [t, []]));
    for (const line of out.split('\n')) {
      const m = /^\s+([\d.]+)%\s+(?:([\d.]+)%\s+)?(\d+):\S+\s+(.*)$/.exec(line);
      if (m && per.has(m[3])) per.get(m[3]).push({ pct: Number(m[1]), self: m[2], rest: m[4] });
    }
    return per;
  };
  const shares = await byThread(false, 'dso');
  const total = new Map(tids.map((t) => [t, shares.get(t).reduce((a, r) => a + r.pct, 0)]));
  const show = (list, tid, n, keep = () => true) => list.get(tid).filter((r) => keep(r.rest)).slice(0, n)
    .map((r) => `${((r.pct * 100) / total.get(tid)).toFixed(2).padStart(7)}%  ${r.rest.trim()}`).join('\n');
  const bySym = await byThread(false, 'sym');
  const inclusive = await byThread(true, 'sym');
  for (const [label, tid] of [['request thread', tids[0]], ['audit worker', tids[1]]]) {
    console.log(`\n=== ${label} (${tid}), ${total.get(tid).toFixed(1)}% of the samples; percentages of this thread's`);
    console.log('by object (self)\n' + show(shares, tid, 6));
    console.log('\nby symbol (self)\n' + show(bySym, tid, 35));
    console.log('\nJavaScript, inclusive\n' + show(inclusive, tid, 35, (l) => l.includes('JS:')));
  }
} finally {
  await server.stop();
}
