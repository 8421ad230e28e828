// `npm run bench:policy`: Castellan's evaluator against cedar-wasm and a Map of precomputed
// decisions, on the same 10,000 requests, in one run. The last line is one JSON object.
import { createRequire } from 'node:module';
import { compilePolicy, evaluate, parsePolicy, preparePolicySet } from '../../packages/policy/dist/index.js';
import { POLICIES, makeRequests } from './workload.js';
import { cedarCall, policyToCedar } from './to-cedar.js';

const require = createRequire(import.meta.url);
const cedar = require('@cedar-policy/cedar-wasm/nodejs');

const REQUESTS = 10_000;
const PASSES = 10;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Throughput (best of several passes) and per-decision latency (each decision timed alone). */
function measure(name, requests, decide) {
  let sink = 0;
  for (const r of requests) sink += decide(r) ? 1 : 0; // warm-up
  let best = Infinity;
  for (let pass = 0; pass < PASSES; pass++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < requests.length; i++) sink += decide(requests[i]) ? 1 : 0;
    const ns = Number(process.hrtime.bigint() - t0);
    best = Math.min(best, ns);
  }
  const lat = new Float64Array(requests.length);
  for (let i = 0; i < requests.length; i++) {
    const t0 = process.hrtime.bigint();
    sink += decide(requests[i]) ? 1 : 0;
    lat[i] = Number(process.hrtime.bigint() - t0);
  }
  lat.sort();
  const perSecond = (requests.length / best) * 1e9;
  const result = { name, perSecond, nsPerDecision: best / requests.length, medianMicros: percentile(lat, 50) / 1000, p99Micros: percentile(lat, 99) / 1000, sink };
  console.log(
    `${name.padEnd(28)} ${Math.round(perSecond).toLocaleString('en-US').padStart(13)} decisions/s  ${(best / requests.length).toFixed(0).padStart(7)} ns/decision  median ${result.medianMicros.toFixed(2)} µs  p99 ${result.p99Micros.toFixed(2)} µs`,
  );
  return result;
}

// Compile once, as the server does (cached by content).
const compiled = POLICIES.map((doc, i) => {
  const parsed = parsePolicy(JSON.stringify(doc), { kind: 'identity', sizeClass: 'managed' });
  if (!parsed.ok) throw new Error(`workload policy ${i} is invalid: ${JSON.stringify(parsed.diagnostics)}`);
  return { parsed: parsed.policy, compiled: compilePolicy(parsed.policy, { policyId: `P${i}`, name: `policy-${i}` }) };
});
const policySet = preparePolicySet({ identity: compiled.map((c) => c.compiled) });
const statements = compiled.reduce((n, c) => n + c.parsed.statements.length, 0);

const cedarText = compiled.map((c, i) => policyToCedar(c.parsed, i)).join('\n\n');
const preparsed = cedar.preparsePolicySet('bench', { staticPolicies: cedarText });
if (preparsed.type !== 'success') throw new Error(`cedar could not parse the translation: ${JSON.stringify(preparsed.errors)}`);

const requests = makeRequests(REQUESTS);
const cedarCalls = requests.map((r) => cedarCall(r, 'bench'));
const cedarIndex = new Map(requests.map((r, i) => [r, cedarCalls[i]]));

// The floor: a Map from each request's content key to its precomputed decision. The keys are
// built before timing starts, so the floor is the bare cost of one Map lookup per decision.
const keyOf = (r) => `${r.action}\u0000${r.resource}\u0000${r.context['aws:SourceIp']}\u0000${r.context['aws:MultiFactorAuthPresent']}\u0000${r.now.getTime()}`;
const keys = new Map(requests.map((r) => [r, keyOf(r)]));
const precomputed = new Map(requests.map((r) => [keys.get(r), evaluate(r, policySet).effect === 'allow']));
const floorKeys = requests.map((r) => keys.get(r));

console.log(`workload: ${POLICIES.length} identity policies, ${statements} statements, ${requests.length.toLocaleString('en-US')} requests; node ${process.version}; cedar-wasm ${cedar.getCedarVersion()}`);

const castellan = measure('castellan evaluate()', requests, (r) => evaluate(r, policySet).effect === 'allow');
const cedarResult = measure('cedar-wasm statefulIsAuthorized', requests, (r) => {
  const answer = cedar.statefulIsAuthorized(cedarIndex.get(r));
  if (answer.type !== 'success') throw new Error(JSON.stringify(answer.errors));
  return answer.response.decision === 'allow';
});
const floor = measure('Map of precomputed decisions', floorKeys, (key) => precomputed.get(key));

let allowed = 0;
let cedarDisagreements = 0;
const examples = [];
for (const r of requests) {
  const ours = evaluate(r, policySet).effect === 'allow';
  if (ours) allowed++;
  const theirs = cedar.statefulIsAuthorized(cedarIndex.get(r)).response.decision === 'allow';
  if (ours !== theirs) {
    cedarDisagreements++;
    if (examples.length < 3) examples.push(`${r.action} ${r.resource}: castellan ${ours ? 'allow' : 'deny'}, cedar ${theirs ? 'allow' : 'deny'}`);
  }
}
console.log(`castellan allowed ${allowed} of ${requests.length}; cedar disagreed on ${cedarDisagreements}${examples.length ? `, e.g. ${examples.join('; ')}` : ''}`);
const vsFloor = castellan.nsPerDecision / floor.nsPerDecision;
const vsCedar = castellan.perSecond / cedarResult.perSecond;
console.log(`castellan: ${vsFloor.toFixed(1)}x the floor's time per decision (target <= 20x); ${vsCedar.toFixed(0)}x cedar-wasm's decisions per second (target >= 200x)`);
console.log(
  JSON.stringify({
    castellanDecisionsPerSecond: Math.round(castellan.perSecond),
    cedarDecisionsPerSecond: Math.round(cedarResult.perSecond),
    floorDecisionsPerSecond: Math.round(floor.perSecond),
    castellanMedianMicros: Number(castellan.medianMicros.toFixed(3)),
    castellanP99Micros: Number(castellan.p99Micros.toFixed(3)),
    cedarP99Micros: Number(cedarResult.p99Micros.toFixed(3)),
    cedarDisagreements,
    castellanVsFloor: Number(vsFloor.toFixed(2)),
    castellanVsCedar: Number(vsCedar.toFixed(1)),
  }),
);
