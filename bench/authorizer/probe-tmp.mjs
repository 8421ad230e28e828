import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { authorizeCall, clientRequest, question, setUp } from './requests.js';
const { cpuSeconds, runLoad, startCastellanProcess } = await import(process.env.PROCESSES ?? '../api/processes.js');
const ACCOUNT_ID = '210987654321';
const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: `bench-root-${randomBytes(16).toString('hex')}` };
const dir = await mkdtemp(join(tmpdir(), 'castellan-probe-'));
const server = await startCastellanProcess({
  CASTELLAN_DATA_DIR: dir, CASTELLAN_ACCOUNT_ID: ACCOUNT_ID, CASTELLAN_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
  CASTELLAN_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey, CASTELLAN_MASTER_KEY: randomBytes(32).toString('hex'),
  CASTELLAN_RATE_LIMIT_PER_KEY: '0', CASTELLAN_RATE_LIMIT_PER_ADDRESS: '0', CASTELLAN_TRAIL_EXPORT_MINUTES: '0', CASTELLAN_LOG_LEVEL: 'warn',
}, process.env.ELD ? ['--import', '/tmp/eld.mjs'] : []);
try {
  const { service, reader } = await setUp(server.url, ROOT, 10);
  const q = question(await clientRequest(reader, 'photos/cat.jpg'), 'photos/cat.jpg', ACCOUNT_ID);
  const call = authorizeCall(new URL(server.url).host, service, q);
  await runLoad({ url: server.url, connections: 4, durationSeconds: 3, request: call });
  await new Promise((r) => setTimeout(r, 1000));
  const c0 = await cpuSeconds(server.pid); await new Promise((r) => setTimeout(r, 3000)); const c1 = await cpuSeconds(server.pid);
  console.log('idle CPU ms/s', ((c1 - c0) / 3) * 1000);
  // A fixed count of sequential-ish requests: 4 connections, `amount`.
  for (const amount of [3000, 3000, 3000]) {
    const a = await cpuSeconds(server.pid);
    const t0 = Date.now();
    const r = await autocannon({ url: server.url, connections: 4, amount, requests: [call] });
    const b = await cpuSeconds(server.pid);
    console.log(`amount ${amount}: ${r.requests.total ?? '?'} in ${Date.now() - t0} ms, CPU µs/req ${Math.round(((b - a) / amount) * 1e6)}, p99 ${r.latency.p99}`);
  }
} finally { await server.stop(); }
