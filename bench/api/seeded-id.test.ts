import { describe, expect, it } from 'vitest';
import { scaleEvent } from './scale-events.js';
import { seededId } from './seeded-id.js';

describe('seededId', () => {
  it('has the shape of an AWS unique id and differs for each counter', () => {
    const ids = [0, 1, 31, 32, 99_999].map((n) => seededId('AIDA', n));
    for (const id of ids) expect(id).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('scaleEvent', () => {
  it('is an event of the account by a seeded user, inside the 30 days before the end', () => {
    const end = Date.UTC(2026, 11, 6);
    const rows = [0, 1, 4, 999].map((i) => scaleEvent({ accountId: '210987654321', i, total: 1000, users: 100, end }));
    for (const row of rows) {
      expect(row.accountId).toBe('210987654321');
      expect(row.username).toMatch(/^scale-user-0000\d\d$/);
      expect(row.eventTime.getTime()).toBeLessThan(end);
      expect(row.eventTime.getTime()).toBeGreaterThanOrEqual(end - 30 * 24 * 3600 * 1000);
    }
    expect(rows.map((r) => r.eventName)).toEqual(['GetUser', 'GetCallerIdentity', 'TagUser', 'TagUser']);
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(rows.length);
    expect(rows[2]!.readOnly).toBe(false);
  });
});
