// The benchmark's arithmetic, kept pure so it is tested: what autocannon measured, reduced to the
// figures the table and the JSON line show.

/** Rounds to `digits` decimals; `null` stays `null` (a case not measured). */
export function round(n, digits = 2) {
  return n === null || n === undefined || !Number.isFinite(n) ? null : Number(n.toFixed(digits));
}

/** `a / b`, or `null` when either is missing or `b` is zero. */
export function ratio(a, b) {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}

/**
 * The figures of one autocannon result: mean requests/s, latency p50/p99 in ms, and how many
 * answers had a status other than the expected class (`2xx` for an allowed call, `4xx` for a
 * denied one), plus socket errors and timeouts.
 */
export function summarize(result, expectedClass = '2xx') {
  const classes = ['1xx', '2xx', '3xx', '4xx', '5xx'];
  const answered = classes.reduce((n, c) => n + (result[c] ?? 0), 0);
  const unexpected = answered - (result[expectedClass] ?? 0);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: answered,
    unexpected,
    errors: (result.errors ?? 0) + (result.timeouts ?? 0),
  };
}

/**
 * Per-call cost at scale relative to a nearly empty account: the time of one call (1/throughput at
 * the same concurrency) with the data, over the time without. 1.0 means flat.
 */
export function costRatio(emptyRequestsPerSecond, scaledRequestsPerSecond) {
  return ratio(emptyRequestsPerSecond, scaledRequestsPerSecond);
}

/**
 * The JSON line's block for one dialect, from the measured rows (keyed by case name) and the bare
 * Node peer's rows (keyed by connection count).
 */
export function dialectSummary(rows, bare) {
  const rps = (name) => rows[name]?.requestsPerSecond ?? null;
  const p99 = (name) => rows[name]?.p99 ?? null;
  // CPU time per request, the bare peer's over Castellan's: the share of the runtime's ceiling
  // that does not depend on what else shares the machine's cores.
  const cpuRatio = (name) => ratio(bare[32]?.cpuMicrosPerRequest, rows[name]?.cpuMicrosPerRequest);
  return {
    getCallerIdentityRatioToBareNode: round(ratio(rps('GetCallerIdentity 32c'), bare[32]?.requestsPerSecond), 3),
    getCallerIdentityP99Millis4c: round(p99('GetCallerIdentity 4c')),
    sessionGetCallerIdentityRatioToBareNode: round(ratio(rps('GetCallerIdentity (session) 32c'), bare[32]?.requestsPerSecond), 3),
    sessionGetCallerIdentityP99Millis4c: round(p99('GetCallerIdentity (session) 4c')),
    getUserRatioToBareNode: round(ratio(rps('GetUser 32c'), bare[32]?.requestsPerSecond), 3),
    getUserP99Millis4c: round(p99('GetUser 4c')),
    deniedToAllowedRatio: round(ratio(rps('GetUser denied 32c'), rps('GetUser 32c')), 3),
    tagUserRequestsPerSecond: round(rps('TagUser 4c'), 0),
    cpuRatioToBareNode: {
      getCallerIdentity: round(cpuRatio('GetCallerIdentity 32c'), 3),
      sessionGetCallerIdentity: round(cpuRatio('GetCallerIdentity (session) 32c'), 3),
      getUser: round(cpuRatio('GetUser 32c'), 3),
      getUserDenied: round(cpuRatio('GetUser denied 32c'), 3),
      tagUser: round(cpuRatio('TagUser 4c'), 3),
    },
  };
}
