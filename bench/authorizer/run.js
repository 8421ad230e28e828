// `npm run bench:authorizer [-- --duration 5 --policies 10]`: Castellan as the authorization layer
// of another service (issue 14), side by side in one run:
//   1. the AuthorizeRequest round trip on loopback (`castellan serve` on SQLite in a child process,
//      driven by autocannon in another, 4 connections, the client's principal warm) against a bare
//      Node `http` server answering a fixed body at the same concurrency;
//   2. the in-process check (@castellan/authorizer-client's InProcessAuthorizer: SigV4 verification
//      of each request with the snapshot's signing key, then the policy engine) on one worker
//      thread, then on one per core; checks per CPU-second are printed too, as the machine may be
//      shared (its load average is in the JSON).
// The client's principal has `--policies` identity policies, and a bucket policy applies too.
// Prints a table; the last line is one JSON object.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { clientRequest, question } from './requests.js';
import { runLoad, startBarePeer, startCastellanProcess } from '../api/processes.js';
import { signPost } from '../api/sign-request.js';
import { ratio, round, summarize } from '../api/stats.js';

const { values: args } = parseArgs({ options: { duration: { type: 'string', default: '5' }, policies: { type: 'string', default: '10' }, 'in-process-seconds': { type: 'string', default: '3' } } });
const DURATION = Number(args.duration);
const POLICIES = Number(args.policies);
if (!Number.isInteger(POLICIES) || POLICIES < 1 || POLICIES > 11) throw new Error('--policies must be 1 to 11 (10 attached managed policies and one inline, AWS\'s default quotas)');
const IN_PROCESS_SECONDS = Number(args['in-process-seconds']);
const CONNECTIONS = 4;
const ACCOUNT_ID = '210987654321';
const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: `bench-root-${randomBytes(16).toString('hex')}` };
const doc = (...statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const cleanups = [];
async function cleanupAll() {
  for (const fn of cleanups.reverse()) await fn().catch((err) => console.error(`cleanup failed: ${err?.stack ?? err}`));
}
process.once('SIGINT', () => void cleanupAll().finally(() => process.exit(130)));

/** A user with an access key and `policies` inline identity policies (the last one grants the reads measured). */
async function setUp(url) {
  const iam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  // The last policy is inline; the others are managed policies attached to the user (AWS's inline
  // policies share 2,048 bytes per user; up to 10 managed policies may be attached).
  const user = async (name, policies) => {
    await iam.send(new CreateUserCommand({ UserName: name }));
    for (const [i, p] of policies.slice(0, -1).entries()) {
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-p${i}`, PolicyDocument: p }))).Policy.Arn;
      await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: arn }));
    }
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'grant', PolicyDocument: policies.at(-1) }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
    return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey };
  };
  const service = await user('s3-service', [doc({ Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*', Condition: { StringEquals: { 'castellan:SigningService': 's3' } } })]);
  const filler = Array.from({ length: Math.max(0, POLICIES - 1) }, (_, i) => doc(
    { Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `arn:aws:s3:::team-${i}/*` },
    { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::team-${i}`, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
  ));
  const reader = await user('reader', [...filler, doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::bench-bucket', 'arn:aws:s3:::bench-bucket/*'] })]);
  iam.destroy();
  return { service, reader };
}

/** The AuthorizeRequest call as autocannon replays it (signed once: well within the 15-minute skew). */
function authorizeCall(host, service, q) {
  const body = JSON.stringify({
    Service: 's3',
    ClientRequest: { Method: q.request.method, Path: q.request.path, Query: q.request.query, Headers: q.request.headers },
    SourceIp: q.sourceIp,
    Authorizations: q.authorizations.map((a) => ({ Action: a.action, Resource: a.resource, ResourceAccount: a.resourceAccount })),
    ResourcePolicy: { PolicyId: q.resourcePolicy.policyId, Document: q.resourcePolicy.document },
    Event: { EventName: q.event.eventName, ReadOnly: true, RequestParameters: q.event.requestParameters, Resources: q.event.resources.map((r) => ({ Type: r.type, Arn: r.arn })) },
  });
  const headers = signPost({ host, body, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Castellan_20261201.AuthorizeRequest' }, service: 'castellan', region: 'us-east-1', credentials: service, date: new Date() });
  const { host: _host, ...sent } = headers;
  return { method: 'POST', path: '/', headers: sent, body };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'castellan-bench-authorizer-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const castellan = await startCastellanProcess({
    CASTELLAN_DATA_DIR: dir,
    CASTELLAN_ACCOUNT_ID: ACCOUNT_ID,
    CASTELLAN_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    CASTELLAN_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
    CASTELLAN_MASTER_KEY: randomBytes(32).toString('hex'),
    CASTELLAN_RATE_LIMIT_PER_KEY: '0',
    CASTELLAN_RATE_LIMIT_PER_ADDRESS: '0',
    CASTELLAN_TRAIL_EXPORT_MINUTES: '0',
    CASTELLAN_LOG_LEVEL: 'warn',
  });
  cleanups.push(() => castellan.stop());
  const bare = await startBarePeer();
  cleanups.push(() => bare.stop());
  console.error(`castellan ${castellan.url}, bare node ${bare.url}; the client's principal has ${POLICIES} identity policies and a bucket policy applies`);
  const { service, reader } = await setUp(castellan.url);

  // One call first: it must be allowed (and it warms the principal).
  const q = question(await clientRequest(reader, 'photos/cat.jpg'), 'photos/cat.jpg', ACCOUNT_ID);
  const call = authorizeCall(new URL(castellan.url).host, service, q);
  const first = await fetch(castellan.url, { method: 'POST', headers: call.headers, body: call.body });
  const answer = await first.json();
  if (first.status !== 200 || answer.Allowed !== true) throw new Error(`the benchmark's AuthorizeRequest is not allowed: ${first.status} ${JSON.stringify(answer)}`);

  const load = async (label, url, request) => {
    console.error(`  ${label}: ${CONNECTIONS} connections, ${DURATION} s`);
    return { label, ...summarize(await runLoad({ url, connections: CONNECTIONS, durationSeconds: DURATION, request })) };
  };
  await runLoad({ url: castellan.url, connections: CONNECTIONS, durationSeconds: 1, request: call }); // warm-up
  const roundTrip = await load('AuthorizeRequest round trip', castellan.url, call);
  const peer = await load('bare Node http', bare.url, { method: 'POST', path: '/', headers: call.headers, body: call.body });

  // In process: each thread warms its own snapshot with one round trip, then checks distinct signed
  // requests locally; one thread alone, then one per core together.
  const inProcess = async (threads) => {
    const workers = Array.from({ length: threads }, () => new Worker(new URL('./in-process-worker.js', import.meta.url), {
      workerData: { url: castellan.url, service, reader, accountId: ACCOUNT_ID, seconds: IN_PROCESS_SECONDS, count: 256 },
    }));
    const next = (w) => new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
    await Promise.all(workers.map(next));
    console.error(`  in-process check: ${threads} thread(s), ${IN_PROCESS_SECONDS} s`);
    const results = workers.map(next);
    for (const w of workers) w.postMessage('go');
    const out = await Promise.all(results);
    await Promise.all(workers.map((w) => w.terminate()));
    for (const r of out) if (r.refused > 0 || r.roundTrips !== 1) throw new Error(`in-process checks: ${r.refused} refused, ${r.roundTrips} round trips`);
    return { checksPerSecond: out.reduce((n, r) => n + r.checks / r.seconds, 0), perCpuSecond: out.reduce((n, r) => n + r.checks, 0) / out.reduce((n, r) => n + r.cpuSeconds, 0) };
  };
  const cores = availableParallelism();
  const single = await inProcess(1);
  const all = cores > 1 ? await inProcess(cores) : single;

  const rows = [roundTrip, peer];
  console.log(`\n${'case'.padEnd(32)} ${'req/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  unexpected/errors`);
  for (const r of rows) console.log(`${r.label.padEnd(32)} ${Math.round(r.requestsPerSecond).toLocaleString('en-US').padStart(10)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)}  ${r.unexpected}/${r.errors}`);
  console.log(`${'in-process check, 1 thread'.padEnd(32)} ${Math.round(single.checksPerSecond).toLocaleString('en-US').padStart(10)} checks/s (${Math.round(single.perCpuSecond).toLocaleString('en-US')} per CPU-second; SigV4 verification + ${POLICIES} identity policies + bucket policy)`);
  console.log(`${`in-process check, ${cores} threads`.padEnd(32)} ${Math.round(all.checksPerSecond).toLocaleString('en-US').padStart(10)} checks/s`);
  const result = {
    policiesPerPrincipal: POLICIES,
    resourcePolicy: true,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    roundTripRequestsPerSecond: round(roundTrip.requestsPerSecond, 0),
    bareNodeRequestsPerSecond: round(peer.requestsPerSecond, 0),
    roundTripRatioToBareNode: round(ratio(roundTrip.requestsPerSecond, peer.requestsPerSecond), 3),
    roundTripP50Millis: roundTrip.p50,
    roundTripP99Millis: roundTrip.p99,
    roundTripUnexpected: roundTrip.unexpected + roundTrip.errors,
    // The library's throughput: one thread per core when that is more (a quiet machine), else one.
    inProcessChecksPerSecond: round(Math.max(all.checksPerSecond, single.checksPerSecond), 0),
    inProcessThreads: all.checksPerSecond > single.checksPerSecond ? cores : 1,
    inProcessChecksPerSecondOneThread: round(single.checksPerSecond, 0),
    inProcessChecksPerCpuSecond: round(single.perCpuSecond, 0),
    loadAverage: round(loadavg()[0], 1),
    goals: { roundTripRatioToBareNode: 0.3, roundTripP99Millis: 2, inProcessChecksPerSecond: 200_000 },
  };
  console.log(JSON.stringify(result));
}

try {
  await main();
} finally {
  await cleanupAll();
}
