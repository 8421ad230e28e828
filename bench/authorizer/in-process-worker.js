// One thread of the in-process measurement (bench/authorizer/run.js): its own InProcessAuthorizer,
// warmed by one round trip to Castellan, then distinct signed requests verified and decided
// locally for `seconds`. Posts { checks, seconds, cpuSeconds, refused, roundTrips }.
import { parentPort, workerData } from 'node:worker_threads';
import { CastellanAuthorizer, InProcessAuthorizer } from '@castellan/authorizer-client';
import { clientRequest, question } from './requests.js';

const { url, service, reader, accountId, seconds, count } = workerData;
const client = new CastellanAuthorizer({ endpoint: url, service: 's3', credentials: service });
const local = new InProcessAuthorizer({ castellan: client, audit: 'off', refreshAfterMs: 3_600_000 });
const questions = [];
for (let i = 0; i < count; i++) questions.push(question(await clientRequest(reader, `photos/${i}.jpg`), `photos/${i}.jpg`, accountId));
const warm = await local.authorize(questions[0]);
if (!warm.authenticated || !warm.allowed) throw new Error(`the in-process check is not allowed: ${JSON.stringify(warm)}`);
parentPort.postMessage({ ready: true });
await new Promise((resolve) => parentPort.once('message', resolve));
let checks = 0;
let refused = 0;
const cpu0 = process.cpuUsage();
const start = process.hrtime.bigint();
const end = start + BigInt(Math.round(seconds * 1e9));
while (process.hrtime.bigint() < end) {
  for (const q of questions) {
    const a = await local.authorize(q);
    if (!a.authenticated || !a.allowed) refused++;
  }
  checks += questions.length;
}
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpu0);
client.close();
parentPort.postMessage({ checks, seconds: elapsed, cpuSeconds: (cpu.user + cpu.system) / 1e6, refused, roundTrips: local.stats.roundTrips });
