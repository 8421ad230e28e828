// The server the authorizer samplers (`perf.js`, `tail.js`) watch: `castellan serve` under `perfNodeArgs`,
// its account set up as bench:authorizer's (a service and a reader with 10 policies), one warm-up of
// the AuthorizeRequest round trip at 4 connections, and the audit worker's thread found.
import { authorizeCall, clientRequest, question, setUp } from './requests.js';
import { benchRoot, benchServerEnv, runLoad, startCastellanProcess, threadTimes } from '../api/processes.js';
import { perfNodeArgs } from '../api/perf-tools.js';

export const ACCOUNT_ID = '210987654321';

/** The busiest of the threads started between two `threadTimes` readings: under this load, the audit worker. */
function busiestNewThread(before, after) {
  let best = null;
  for (const [k, a] of after) {
    const tid = k.split(' ')[0];
    // The audit worker starts with the first batch, after V8's and libuv's helper threads.
    if (before.has(k)) continue;
    const used = a.user + a.sys;
    if (!best || used > best.used) best = { tid, name: k.slice(tid.length + 1), used };
  }
  return best;
}

/** Starts and warms the server; resolves with it, the signed round trip `call` and the audit `worker` ({ tid, name }). */
export async function startWarmAuthorizer({ dir, env = {}, nodeArgs = [] }) {
  const root = benchRoot();
  const server = await startCastellanProcess({ ...benchServerEnv(dir, root, ACCOUNT_ID), ...env }, [...perfNodeArgs(dir), ...nodeArgs]);
  try {
    const before = await threadTimes(server.pid); // before the first audit batch starts the worker
    const { service, reader } = await setUp(server.url, root, 10);
    const q = question(await clientRequest(reader, 'photos/cat.jpg'), 'photos/cat.jpg', ACCOUNT_ID);
    const call = authorizeCall(new URL(server.url).host, service, q);
    await runLoad({ url: server.url, durationSeconds: 3, connections: 4, request: call }); // warm-up: JIT, caches
    return { server, call, worker: busiestNewThread(before, await threadTimes(server.pid)) };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
