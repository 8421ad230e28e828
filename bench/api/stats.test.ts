import { describe, expect, it } from 'vitest';
import { costRatio, dialectSummary, ratio, round, summarize } from './stats.js';

/** An autocannon result with only the fields the benchmark reads. */
const result = (average: number, p50: number, p99: number, classes: Record<string, number>, errors = 0, timeouts = 0) => ({
  requests: { average },
  latency: { p50, p99 },
  errors,
  timeouts,
  ...classes,
});

describe('ratio, round and costRatio', () => {
  it.each([
    [500, 10_000, 0.05],
    [1, 0, null],
    [null, 10, null],
    [10, undefined, null],
  ])('ratio(%s, %s) is %s', (a, b, expected) => {
    expect(ratio(a as number, b as number)).toBe(expected);
  });

  it.each([
    [1.23456, 2, 1.23],
    [null, 2, null],
    [Number.NaN, 2, null],
    [1234.5, 0, 1235],
  ])('round(%s, %s) is %s', (n, digits, expected) => {
    expect(round(n as number, digits)).toBe(expected);
  });

  it('is the time of one call at scale over the time in an empty account', () => {
    expect(costRatio(1000, 500)).toBe(2);
    expect(costRatio(1000, 1000)).toBe(1);
  });
});

describe('summarize', () => {
  it('counts answers outside the expected class and errors', () => {
    expect(summarize(result(100, 2, 9, { '2xx': 490, '4xx': 10 }, 1, 2))).toEqual({ requestsPerSecond: 100, p50: 2, p99: 9, requests: 500, unexpected: 10, errors: 3 });
    expect(summarize(result(100, 2, 9, { '2xx': 0, '4xx': 500 }), '4xx').unexpected).toBe(0);
  });
});

describe('dialectSummary', () => {
  const row = (requestsPerSecond: number, p99: number, cpuMicrosPerRequest: number | null = null) => ({ requestsPerSecond, p99, cpuMicrosPerRequest });
  const bare = { 32: row(10_000, 5, 50), 4: row(9_000, 2, 60) };

  it('gives the ratios to bare Node at 32 connections, the p99s at 4, and denied over allowed', () => {
    const s = dialectSummary({
      'GetCallerIdentity 32c': row(4_000, 20, 125), 'GetCallerIdentity 4c': row(3_000, 4.2),
      'GetUser 32c': row(2_000, 30), 'GetUser 4c': row(1_500, 6), 'GetUser denied 32c': row(2_200, 25), 'TagUser 4c': row(530.4, 9),
    }, bare);
    expect(s).toEqual({
      getCallerIdentityRatioToBareNode: 0.4, getCallerIdentityP99Millis4c: 4.2,
      sessionGetCallerIdentityRatioToBareNode: null, sessionGetCallerIdentityP99Millis4c: null,
      getUserRatioToBareNode: 0.2, getUserP99Millis4c: 6, deniedToAllowedRatio: 1.1, tagUserRequestsPerSecond: 530,
      cpuRatioToBareNode: { getCallerIdentity: 0.4, sessionGetCallerIdentity: null, getUser: null, getUserDenied: null, tagUser: null },
    });
  });
});
