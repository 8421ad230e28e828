import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../test-audit-rows.js';
import { openTamperableStore, type TamperableStore } from '../test-audit-store.js';
import { startExportSchedule } from './export-schedule.js';
import { loadOrCreateSigningKey } from './signing-key.js';
import { readExportState } from './trail-exporter.js';

let dir: string;
let t: TamperableStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castellan-schedule-'));
  t = await openTamperableStore('sqlite');
});
afterEach(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('startExportSchedule', () => {
  it('exports on its interval and once more when stopped', async () => {
    const runs: number[] = [];
    const errors: unknown[] = [];
    const exportDir = join(dir, 'trail');
    const schedule = startExportSchedule({
      store: t.store, exportDir, signingKey: await loadOrCreateSigningKey(dir), clock: { now: () => new Date() },
      intervalMs: 40, onError: (e) => errors.push(e), onRun: (o) => runs.push(o.toSeq),
    });
    // Given events before a tick and after the last one
    try {
      await t.store.appendAuditEvents([1, 2].map((i) => sampleEvent(i)));
      // Then a tick exports them (waiting for it, however loaded the machine)
      const deadline = Date.now() + 10_000;
      while ((await readExportState(exportDir)).anchor.toSeq < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect((await readExportState(exportDir)).anchor.toSeq).toBe(2);
      await t.store.appendAuditEvents([3].map((i) => sampleEvent(i)));
    } finally {
      // When it stops, Then the final export takes the last event too
      await schedule.stop();
    }
    expect((await readExportState(exportDir)).anchor.toSeq).toBe(3);
    expect(errors).toEqual([]);
    expect(runs.at(-1)).toBe(3);
  });

  it('applies retention when a period is set, and reports failures without stopping', async () => {
    const errors: unknown[] = [];
    await t.store.appendAuditEvents([sampleEvent(1, { time: new Date('2020-01-01T00:00:00Z') }), sampleEvent(2)]);
    const schedule = startExportSchedule({
      store: t.store, exportDir: join(dir, 'trail'), signingKey: await loadOrCreateSigningKey(dir), clock: { now: () => new Date('2026-06-01T00:00:00Z') },
      intervalMs: 60_000, retentionDays: 30, onError: (e) => errors.push(e),
    });
    await schedule.runNow();
    expect(await t.store.getAuditCheckpoint()).toMatchObject({ seq: 2 });
    // A store that fails makes the run fail; the schedule reports it and goes on
    await t.close();
    await schedule.runNow();
    expect(errors).toHaveLength(1);
    await schedule.stop({ finalExport: false });
    t = await openTamperableStore('sqlite');
  });

  it('with a lease, one node at a time exports; a stopped node hands over at once', async () => {
    // Given two nodes' schedules on one store, each with its own folder
    await t.store.appendAuditEvents([1, 2].map((i) => sampleEvent(i)));
    const signingKey = await loadOrCreateSigningKey(dir);
    const errors: unknown[] = [];
    const node = (name: string) => startExportSchedule({
      store: t.store, exportDir: join(dir, name), signingKey, clock: { now: () => new Date() }, intervalMs: 60_000,
      lease: { store: t.store, holder: name }, onError: (e) => errors.push(e),
    });
    const [a, b] = [node('a'), node('b')];
    try {
      // When both run: Then only the first to take the lease exports
      await a.runNow();
      await b.runNow();
      expect((await readExportState(join(dir, 'a'))).anchor.toSeq).toBe(2);
      expect((await readExportState(join(dir, 'b'))).anchor.toSeq).toBe(0);
      // When A stops (final export, then release): Then B exports at its next run
      await t.store.appendAuditEvents([sampleEvent(3)]);
      await a.stop();
      expect((await readExportState(join(dir, 'a'))).anchor.toSeq).toBe(3);
      await b.runNow();
      expect((await readExportState(join(dir, 'b'))).anchor.toSeq).toBe(3);
    } finally {
      await a.stop();
      await b.stop({ finalExport: false });
    }
    expect(errors).toEqual([]);
  });
});
