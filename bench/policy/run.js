// `npm run bench:policy`: Castellan's evaluator against cedar-wasm and a Map of precomputed
// decisions, on the same 10,000 requests, in one run. The last line is one JSON object.
import { createRequire } from 'node:module';
import { compilePolicy, evaluate, parsePolicy, preparePolicySet } from '../../packages/policy/dist/index.js';
import { POLICIES, makeRequests } from './workload.js';
import { cedarCall, policyToCedar } from './to-cedar.js';

const require = createRequire(import.meta.url);
const cedar = require('@cedar-policy/cedar-wasm/nodejs');

const REQUESTS = 10_000;
const PASSES = 20;
/** cedar-wasm takes about a second a pass: fewer passes. */
const CEDAR_PASSES = 3;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * A timed pass over the inputs, returning nanoseconds. Each engine gets its own copy of the loop
 * (built from source) so that no engine pays for a call site shared with the others: the floor
 * stays the bare cost of a Map lookup.
 */
function makePass(decide, inline) {
  // The floor's lookup is written into the loop itself (`inline`), with no call at all.
  const step = inline ?? 'decide(inputs[i])';
  // eslint-disable-next-line no-new-func
  return new Function('decide', 'sinkRef', 'map', `return function pass(inputs) {
    const t0 = process.hrtime.bigint();
    let sink = 0;
    for (let i = 0; i < inputs.length; i++) sink += ${step} ? 1 : 0;
    const ns = Number(process.hrtime.bigint() - t0);
    sinkRef.value += sink;
    return ns;
  };`)(decide, sinkRefGlobal, decide.map);
}
const sinkRefGlobal = { value: 0 };

/** Per-decision latency: each decision timed alone (the timer's own cost is included). */
function latencies(inputs, decide, sinkRef) {
  const lat = new Float64Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const t0 = process.hrtime.bigint();
    sinkRef.value += decide(inputs[i]) ? 1 : 0;
    lat[i] = Number(process.hrtime.bigint() - t0);
  }
  return lat.sort();
}

/**
 * Measures engines on the same work. Their passes are interleaved so that all see the same load
 * on the machine; each keeps its best pass (the least disturbed one) for throughput.
 */
function measure(engines, passes) {
  const sinkRef = sinkRefGlobal;
  const runs = engines.map((e) => makePass(e.decide, e.inline));
  engines.forEach((e, i) => runs[i](e.inputs)); // warm-up
  const best = engines.map(() => Infinity);
  for (let p = 0; p < passes; p++) {
    engines.forEach((e, i) => {
      if (p < (e.passes ?? passes)) best[i] = Math.min(best[i], runs[i](e.inputs));
    });
  }
  return engines.map((e, i) => {
    const lat = latencies(e.inputs, e.decide, sinkRef);
    const n = e.inputs.length;
    const result = { name: e.name, perSecond: (n / best[i]) * 1e9, nsPerDecision: best[i] / n, medianMicros: percentile(lat, 50) / 1000, p99Micros: percentile(lat, 99) / 1000 };
    console.log(
      `${e.name.padEnd(32)} ${Math.round(result.perSecond).toLocaleString('en-US').padStart(13)} decisions/s  ${result.nsPerDecision.toFixed(0).padStart(7)} ns/decision  median ${result.medianMicros.toFixed(2)} µs  p99 ${result.p99Micros.toFixed(2)} µs`,
    );
    return result;
  });
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

const [castellan, cedarResult, floor] = measure(
  [
    { name: 'castellan evaluate()', inputs: requests, decide: (r) => evaluate(r, policySet).effect === 'allow' },
    {
      name: 'cedar-wasm statefulIsAuthorized',
      inputs: requests,
      passes: CEDAR_PASSES,
      decide: (r) => {
        const answer = cedar.statefulIsAuthorized(cedarIndex.get(r));
        if (answer.type !== 'success') throw new Error(JSON.stringify(answer.errors));
        return answer.response.decision === 'allow';
      },
    },
    { name: 'Map of precomputed decisions', inputs: floorKeys, decide: Object.assign((key) => precomputed.get(key), { map: precomputed }), inline: 'map.get(inputs[i])' },
  ],
  PASSES,
);

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
