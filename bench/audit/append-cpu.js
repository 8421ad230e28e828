// `node bench/audit/append-cpu.js [--dialect sqlite|postgres] [--prefill N] [--events N] [--batch N]`:
// the CPU an audited call's event costs the process once the request thread has built it: batches of
// the audit workload's events (`workload.js`, through the server's own `toNewAuditEvent`) go through
// the store's real `appendAuditEvents` (on a file SQLite database, the audit worker thread and the
// WAL checkpointer; on PostgreSQL, its worker) after `--prefill` events, so the indexes have depth.
// Prints each thread's CPU time per event (Linux `/proc/self/task/*/schedstat`, nanoseconds), and
// the database server's for PostgreSQL is not counted. The last line is one JSON object.
import { readdir, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createTestStore } from '../../packages/server/dist/store/testing.js';
import { positiveArg } from '../api/run-support.js';
import { makeWorld, nextBatch, startStream } from './workload.js';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'sqlite' },
    prefill: { type: 'string', default: '100000' },
    events: { type: 'string', default: '40000' },
    batch: { type: 'string', default: '200' },
  },
});
const PREFILL = Number(args.prefill);
const EVENTS = positiveArg(args, 'events');
const BATCH = positiveArg(args, 'batch');
if (args.dialect !== 'sqlite' && args.dialect !== 'postgres') throw new Error(`--dialect: unknown dialect \`${args.dialect}\``);

/** Each thread of this process: CPU nanoseconds so far, and the system part (clock ticks, in ns). */
async function threadCpu() {
  const out = new Map();
  for (const tid of await readdir('/proc/self/task')) {
    const sched = await readFile(`/proc/self/task/${tid}/schedstat`, 'utf8').catch(() => null);
    const stat = await readFile(`/proc/self/task/${tid}/stat`, 'utf8').catch(() => null);
    if (!sched || !stat) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(tid, { ns: Number(sched.split(' ')[0]), sys: Number(f[12]) * 1e7 });
  }
  return out;
}

const t = await createTestStore(args.dialect);
try {
  const store = t.store;
  const stream = startStream(makeWorld(), PREFILL + EVENTS);
  while (stream.index < PREFILL) await store.appendAuditEvents(nextBatch(stream, 2000));
  const batches = [];
  while (stream.index < PREFILL + EVENTS) batches.push(nextBatch(stream, BATCH));
  const mainTid = String(process.pid);
  const before = await threadCpu();
  const wall = process.hrtime.bigint();
  for (const b of batches) await store.appendAuditEvents(b);
  const wallMs = Number(process.hrtime.bigint() - wall) / 1e6;
  const after = await threadCpu();
  const perEvent = {};
  let total = 0;
  for (const [tid, a] of after) {
    const b = before.get(tid) ?? { ns: 0, sys: 0 };
    const us = (a.ns - b.ns) / 1000 / EVENTS;
    total += us;
    if (us < 0.05) continue;
    const sys = (a.sys - b.sys) / 1000 / EVENTS;
    perEvent[tid === mainTid ? 'main' : tid] = Number(us.toFixed(2));
    console.log(`  ${(tid === mainTid ? 'main' : tid).padEnd(8)} ${us.toFixed(2).padStart(7)} µs/event (system about ${sys.toFixed(1)})`);
  }
  console.log(`  total    ${total.toFixed(2).padStart(7)} µs/event (${EVENTS} events in batches of ${BATCH} after ${PREFILL}; ${(EVENTS / (wallMs / 1000)).toFixed(0)} events/s)`);
  console.log(JSON.stringify({ dialect: args.dialect, events: EVENTS, batch: BATCH, prefill: PREFILL, totalMicrosPerEvent: Number(total.toFixed(2)), threads: perEvent }));
} finally {
  await t.dispose();
}
