import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainRows, rowSource, sampleEvent } from '../test-audit-rows.js';
import { readDeliveryStatus } from './delivery-status.js';
import { parseSecondStamp, secondStamp } from './layout.js';
import { loadOrCreateSigningKey, type TrailSigningKey } from './signing-key.js';
import { exportTrail } from './trail-exporter.js';

let dir: string;
let exportDir: string;
let key: TrailSigningKey;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castellan-deliveries-'));
  exportDir = join(dir, 'trail');
  key = await loadOrCreateSigningKey(join(dir, 'data'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readDeliveryStatus', () => {
  it('answers the newest run that delivered the account’s files, over its regions and days', async () => {
    // Given runs on two days, the later one only in another region, and a later run for another account
    const rows = chainRows([
      sampleEvent(1),
      sampleEvent(2, { region: 'eu-west-1', service: 'sts', eventName: 'GetCallerIdentity' }),
      sampleEvent(3, { accountId: '210987654321' }),
    ]);
    const at = (iso: string) => ({ now: () => new Date(iso) });
    await exportTrail({ source: rowSource(rows.slice(0, 1)), exportDir, signingKey: key, clock: at('2026-01-01T23:59:58.700Z') });
    await exportTrail({ source: rowSource(rows.slice(0, 2)), exportDir, signingKey: key, clock: at('2026-01-02T00:04:10.250Z') });
    await exportTrail({ source: rowSource(rows), exportDir, signingKey: key, clock: at('2026-01-02T00:09:00Z') });

    // Then each account sees its own newest delivery, to the second
    const second = new Date('2026-01-02T00:04:10Z');
    expect(await readDeliveryStatus(exportDir, '123456789012')).toEqual({ latestDelivery: second, latestDigestDelivery: second });
    const other = new Date('2026-01-02T00:09:00Z');
    expect(await readDeliveryStatus(exportDir, '210987654321')).toEqual({ latestDelivery: other, latestDigestDelivery: other });
  });

  it.each([
    ['an account without files', '999999999999'],
    ['a value that is not an account id', '../..'],
  ])('answers nothing for %s', async (_name, accountId) => {
    await exportTrail({ source: rowSource(chainRows([sampleEvent(1)])), exportDir, signingKey: key, clock: { now: () => new Date() } });
    expect(await readDeliveryStatus(exportDir, accountId)).toEqual({});
  });

  it('answers nothing before the first export (no folder)', async () => {
    expect(await readDeliveryStatus(join(dir, 'none'), '123456789012')).toEqual({});
  });
});

describe('parseSecondStamp', () => {
  it.each([
    ['20261207T041503Z', '2026-12-07T04:15:03.000Z'],
    ['20260101T000000Z', '2026-01-01T00:00:00.000Z'],
    ['20261207T0415Z', undefined],
    ['2026-12-07T04:15:03Z', undefined],
  ])('%s', (stamp, iso) => {
    expect(parseSecondStamp(stamp)?.toISOString()).toBe(iso);
    if (iso) expect(secondStamp(new Date(iso))).toBe(stamp);
  });
});
