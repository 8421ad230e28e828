// `node bench/authorizer/in-process-compare.js DIR [rounds] [seconds]`: bench:authorizer's in-process
// check (InProcessAuthorizer over 256 distinct signed GetObjects, 10 identity policies and the
// bucket policy) of this tree against the one built in DIR (a checkout of another commit with its
// packages built and node_modules), on this thread, in turns: each round runs both for `seconds`
// (first one, then the other first), and prints the CPU µs per check of each; then the medians.
// Both builds are loaded in this one process, so a machine loaded by others weighs on both alike.
// `castellan serve` (SQLite, temporary folder, this tree) only serves the round trip that fetches
// each one's snapshot.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as here from '@castellan/authorizer-client';
import { checkFor, clientRequest, question, setUp } from './requests.js';
import { ACCOUNT_ID } from '../api/cpu-profile.js';
import { benchRoot, benchServerEnv, startCastellanProcess } from '../api/processes.js';

const [other, rounds = '8', seconds = '1'] = process.argv.slice(2);
if (!other) throw new Error('usage: node bench/authorizer/in-process-compare.js DIR [rounds] [seconds]');
const there = await import(pathToFileURL(join(resolve(other), 'packages/authorizer-client/dist/index.js')).href);
const root = benchRoot();
const dir = await mkdtemp(join(tmpdir(), 'castellan-in-process-compare-'));
const server = await startCastellanProcess({
  ...benchServerEnv(dir, root, ACCOUNT_ID),
});
try {
  const { service, reader } = await setUp(server.url, root, 10);
  const questions = [];
  for (let i = 0; i < 256; i++) questions.push(question(await clientRequest(reader, `photos/${i}.jpg`), `photos/${i}.jpg`, ACCOUNT_ID));
  const build = async (label, lib) => {
    const client = new lib.CastellanAuthorizer({ endpoint: server.url, service: 's3', credentials: service });
    const local = new lib.InProcessAuthorizer({ castellan: client, audit: 'off', refreshAfterMs: 3_600_000 });
    const warm = await local.authorize(questions[0]);
    if (!warm.authenticated || !warm.allowed) throw new Error(`${label}: the in-process check is not allowed: ${JSON.stringify(warm)}`);
    client.close();
    return { label, local, results: [] };
  };
  const subjects = [await build('compared', there), await build('this tree', here)];
  /** CPU µs per check over `s` seconds. */
  const loop = async ({ local }, s) => {
    const cpu0 = process.cpuUsage();
    const n = await checkFor(local, questions, s);
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / n;
  };
  for (const s of subjects) await loop(s, 1); // JIT warm-up
  for (let r = 0; r < Number(rounds); r++) {
    for (const s of r % 2 === 0 ? subjects : [...subjects].reverse()) s.results.push(await loop(s, Number(seconds)));
    console.log(`round ${r + 1}: ${subjects.map((s) => `${s.label} ${s.results.at(-1).toFixed(2)} µs`).join(', ')}`);
  }
  for (const s of subjects) {
    const sorted = [...s.results].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`${s.label}: median ${median.toFixed(2)} CPU µs/check (${Math.round(1e6 / median).toLocaleString('en-US')} per CPU-second), best ${sorted[0].toFixed(2)}`);
  }
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
