import { describe, expect, it } from 'vitest';
import { healthStatusCode, nodeHealth, type HealthReport } from './health.js';

const NOW = 1_000_000_000;

describe('nodeHealth', () => {
  it.each<[string, { ping?: 'fails'; failingForMs?: number; code?: string }, HealthReport]>([
    ['all well', {}, { status: 'ok' }],
    ['audit writes failing for less than the delay (a failover)', { failingForMs: 29_999, code: 'SQLITE_FULL' }, { status: 'ok' }],
    ['audit writes failing for the delay', { failingForMs: 30_000, code: 'SQLITE_FULL' }, { status: 'degraded', reason: 'audit-writes-failing', failingForSeconds: 30, storeErrorCode: 'SQLITE_FULL' }],
    ['audit writes failing without a driver code', { failingForMs: 125_500 }, { status: 'degraded', reason: 'audit-writes-failing', failingForSeconds: 125 }],
    ['a store that does not answer a read', { ping: 'fails', failingForMs: 60_000 }, { status: 'unavailable', reason: 'store-unreachable' }],
  ])('%s', async (_name, c, expected) => {
    const report = await nodeHealth({
      ping: () => (c.ping === 'fails' ? Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2')) : Promise.resolve()),
      auditWriteFailure: () => (c.failingForMs === undefined ? undefined : { sinceMs: NOW - c.failingForMs, ...(c.code ? { code: c.code } : {}) }),
      degradedAfterMs: 30_000,
      now: () => NOW,
    });
    expect(report).toEqual(expected);
    expect(healthStatusCode(report)).toBe(expected.status === 'ok' ? 200 : 503);
    // Fixed words and codes only: nothing of the error's text.
    expect(JSON.stringify(report)).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|hunter2/);
  });
});
