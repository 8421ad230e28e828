/**
 * An export killed part way (review-durable): at each durable step of a run, the run is stopped as
 * a crash would stop it (the `onStep` fault point, and once a real child process killed with
 * SIGKILL). Until the next export, `trail verify` reports no tampering, only the unfinished
 * export's files as warnings; after it, the folder verifies with nothing to say and every stored
 * event is in exactly one log file. A file someone else added is still reported, and a journal
 * not signed by the trail's key excuses nothing. On each dialect, as the store is the source.
 *
 * The child-process case runs the built server (`npx tsc -b` first), as the CLI tests do.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../test-audit-rows.js';
import { openTamperableStore, TEST_DIALECTS, type TamperableStore } from '../test-audit-store.js';
import { verifyTrail } from '../verify/verify-trail.js';
import { sha256Hex } from './digest.js';
import { listObjects, readObject } from './export-folder.js';
import { JOURNAL_KEY, writeJournal } from './export-journal.js';
import { startExportSchedule } from './export-schedule.js';
import { logFileKey, parseLogFileKey } from './layout.js';
import { describePublicKey, loadOrCreateSigningKey, type TrailSigningKey } from './signing-key.js';
import { exportTrail, type ExportStep } from './trail-exporter.js';

const A = '123456789012';
const B = '210987654321';
const REPO = new URL('../../../../../', import.meta.url).pathname;

/** Thrown by the fault point: the run stops there, as a crash would stop it. */
class Crash extends Error {}

/** A fault point that stops the run at the `nth` time it reaches `step`. */
function crashAt(step: ExportStep, nth: number): (s: ExportStep) => void {
  let seen = 0;
  return (s) => {
    if (s === step && ++seen === nth) throw new Crash(`killed at ${step} #${nth}`);
  };
}

for (const dialect of TEST_DIALECTS) {
  describe(`an export killed part way, on ${dialect}`, () => {
    let t: TamperableStore;
    let dir: string;
    let exportDir: string;
    let key: TrailSigningKey;
    let clockNow: Date;
    const clock = { now: () => clockNow };
    const opts = () => ({ source: t.store, exportDir, signingKey: key, clock, maxRecordsPerFile: 2 });
    const verify = () => verifyTrail({ store: t.store, exportDir, publicKeys: [describePublicKey(key.publicKey, key.createdAt)], now: clockNow });

    beforeEach(async () => {
      t = await openTamperableStore(dialect);
      dir = await mkdtemp(join(tmpdir(), 'castellan-export-crash-'));
      exportDir = join(dir, 'trail');
      key = await loadOrCreateSigningKey(join(dir, 'data'));
      clockNow = new Date('2026-01-01T01:00:00Z');
      // Given a trail exported once
      await t.store.appendAuditEvents([1, 2, 3].map((i) => sampleEvent(i)));
      await exportTrail(opts());
      // And new events of two accounts in two regions: 3 log files of A, one of B in each region
      clockNow = new Date('2026-01-01T01:05:00Z');
      await t.store.appendAuditEvents([
        ...[4, 5, 6, 7, 8].map((i) => sampleEvent(i)),
        sampleEvent(9, { accountId: B }),
        sampleEvent(10, { accountId: B, service: 'sts', region: 'eu-west-1', eventName: 'GetCallerIdentity' }),
      ]);
    });
    afterEach(async () => {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    });

    /** Every stored event's id as often as the folder's log files hold it. */
    async function exportedIds(): Promise<string[]> {
      const ids: string[] = [];
      for (const k of await listObjects(exportDir)) {
        if (!parseLogFileKey(k)) continue;
        ids.push(...(JSON.parse((await readObject(exportDir, k))!) as { Records: { eventID: string }[] }).Records.map((r) => r.eventID));
      }
      return ids.sort();
    }
    const storedIds = async () => (await t.store.scanAuditEvents({ fromSeq: 1, limit: 100 })).map((r) => r.eventId).sort();

    /** After the next export: nothing to report, each event once, no journal or temporary file left. */
    async function expectRecovered(): Promise<void> {
      const v = await verify();
      expect(v.findings).toEqual([]);
      expect(v.warnings).toEqual([]);
      expect(await exportedIds()).toEqual(await storedIds());
      expect(await readObject(exportDir, JOURNAL_KEY)).toBeUndefined();
      const leftovers = (await readdir(exportDir, { recursive: true })).filter((n) => n.endsWith('.tmp'));
      expect(leftovers).toEqual([]);
    }

    // Log files first (5 of them), then the commit point, then the 3 digests.
    const points: { step: ExportStep; nth: number; next: 'undone' | 'finished'; unfinishedFiles: number }[] = [
      { step: 'journal-file', nth: 1, next: 'undone', unfinishedFiles: 0 },
      { step: 'log-file', nth: 1, next: 'undone', unfinishedFiles: 1 },
      { step: 'journal-file', nth: 3, next: 'undone', unfinishedFiles: 2 },
      { step: 'log-file', nth: 5, next: 'undone', unfinishedFiles: 5 },
      { step: 'journal-digests', nth: 1, next: 'finished', unfinishedFiles: 5 },
      { step: 'digest', nth: 1, next: 'finished', unfinishedFiles: 5 - 3 }, // A's digest lists its 3 files
      { step: 'digest', nth: 2, next: 'finished', unfinishedFiles: 1 },
      { step: 'digest', nth: 3, next: 'finished', unfinishedFiles: 0 },
      { step: 'complete', nth: 1, next: 'finished', unfinishedFiles: 0 },
    ];
    for (const p of points) {
      it(`killed at ${p.step} #${p.nth}: verify reports no tampering, the next export ${p.next === 'undone' ? 'undoes' : 'finishes'} it`, async () => {
        // When the export is killed at that point
        await expect(exportTrail({ ...opts(), onStep: crashAt(p.step, p.nth) })).rejects.toThrow(Crash);
        // Then verify reports no tampering, and the unfinished export's log files as warnings
        const before = await verify();
        expect(before.findings).toEqual([]);
        expect(before.warnings.filter((w) => w.includes('export that did not finish'))).toHaveLength(p.unfinishedFiles);
        // When the next export runs
        clockNow = new Date('2026-01-01T01:10:00Z');
        const next = await exportTrail(opts());
        // Then it undid or finished the killed one, and the trail verifies with each event once
        expect(next.recovered?.outcome).toBe(p.next);
        await expectRecovered();
      });
    }

    it('a log file someone added beside an unfinished export is still reported, before and after the next export', async () => {
      await expect(exportTrail({ ...opts(), onStep: crashAt('log-file', 2) })).rejects.toThrow(Crash);
      const forged = logFileKey(A, 'us-east-1', clockNow, 'FORGEDFORGEDFORG');
      await writeFile(join(exportDir, ...forged.split('/')), gzipSync('{"Records":[]}'));
      for (const when of ['before', 'after'] as const) {
        if (when === 'after') await exportTrail(opts());
        const v = await verify();
        expect(v.findings.map((f) => [f.kind, f.key])).toEqual([['file-unlisted', forged]]);
      }
      expect(await exportedIds()).toEqual(await storedIds());
    });

    it('a journal put back from a copy after the export moved on excuses nothing and removes nothing', async () => {
      // Given an export killed after two log files, its journal and first file copied
      await expect(exportTrail({ ...opts(), onStep: crashAt('log-file', 2) })).rejects.toThrow(Crash);
      const journalPath = join(exportDir, JOURNAL_KEY);
      const [copied] = (await listObjects(exportDir)).filter((k) => parseLogFileKey(k) && k.includes('T0105Z'));
      const copies = { journal: await readFile(journalPath), file: await readFile(join(exportDir, ...copied!.split('/'))) };
      // And the next export, which undid it and exported the events again
      expect((await exportTrail(opts())).recovered?.outcome).toBe('undone');
      // When both are put back
      await writeFile(journalPath, copies.journal);
      await writeFile(join(exportDir, ...copied!.split('/')), copies.file);
      // Then verify reports the file, the stale journal as a warning
      for (const when of ['before', 'after'] as const) {
        if (when === 'after') expect((await exportTrail(opts())).recovered?.outcome).toBe('stale');
        const v = await verify();
        expect(v.findings.map((f) => [f.kind, f.key])).toEqual([['file-unlisted', copied]]);
        expect(v.warnings.filter((w) => w.includes('older than the newest digests'))).toHaveLength(when === 'before' ? 1 : 0);
      }
      // And the next export kept the file: it is not the export's to remove
      expect(await listObjects(exportDir)).toContain(copied);
    });

    it('a journal not signed by the trail key excuses nothing and stops the export, removing nothing', async () => {
      // Given a log file someone added (in the day folder of the first export), and a journal naming it signed by another key
      const forged = logFileKey(A, 'us-east-1', clockNow, 'FORGEDFORGEDFORG');
      const body = '{"Records":[]}';
      await writeFile(join(exportDir, ...forged.split('/')), gzipSync(body));
      const other = generateKeyPairSync('ed25519').privateKey;
      await writeJournal(exportDir, { phase: 'files', startedAt: clockNow.toISOString(), fromSeq: 3, files: [{ s3Object: forged, hashValue: sha256Hex(body) }] }, other, key.fingerprint);
      // Then verify reports the journal and the file
      const v = await verify();
      expect(v.findings.map((f) => f.kind).sort()).toEqual(['file-unlisted', 'journal-invalid']);
      // And the export refuses to run on it and leaves the file in place
      await expect(exportTrail(opts())).rejects.toThrow(/export journal .* cannot be used/);
      expect(await listObjects(exportDir)).toContain(forged);
    });

    it('several nodes: a node killed while exporting under the lease is recovered by the node that takes the lease next', async () => {
      const errors: unknown[] = [];
      const node = (name: string, onStep?: (s: ExportStep) => void) => startExportSchedule({
        store: t.store, exportDir, signingKey: key, clock, intervalMs: 60_000,
        exportOptions: { maxRecordsPerFile: 2, ...(onStep ? { onStep } : {}) },
        lease: { store: t.store, holder: name, ttlMs: 60_000 }, onError: (e) => errors.push(e),
      });
      // Given node A killed after writing its digest for account A, B's not yet
      const a = node('a', crashAt('digest', 1));
      await a.runNow();
      expect(errors).toHaveLength(1);
      // When node B runs: first while A's lease holds, then after it expired
      const b = node('b');
      try {
        await b.runNow();
        expect((await verify()).warnings.filter((w) => w.includes('export that did not finish'))).toHaveLength(2);
        clockNow = new Date(clockNow.getTime() + 61_000);
        await b.runNow();
        // Then B finished A's export: the trail verifies, every event once
        await expectRecovered();
      } finally {
        await a.stop({ finalExport: false });
        await b.stop({ finalExport: false });
      }
      expect(errors).toHaveLength(1);
    });

    it('a real export process killed with SIGKILL after its second log file is undone by the next export', async () => {
      // When a child process exports with the built server and is killed (SIGKILL) at that step
      const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
        cwd: REPO,
        env: { ...process.env, CRASH_LOCATION: JSON.stringify(t.location), CRASH_EXPORT_DIR: exportDir, CRASH_KEY_DIR: join(dir, 'data'), CRASH_AT: 'log-file:2' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      expect(signal).toBe('SIGKILL');
      // Then its lock and two unlisted log files are left, which verify names as an unfinished export's
      expect(await readObject(exportDir, '.castellan-export.lock')).toMatch(new RegExp(`^${child.pid} `));
      const before = await verify();
      expect(before.findings).toEqual([]);
      expect(before.warnings.filter((w) => w.includes('export that did not finish'))).toHaveLength(2);
      // And the next export takes the dead process's lock over and undoes its run
      clockNow = new Date('2026-01-01T01:10:00Z');
      expect((await exportTrail(opts())).recovered).toMatchObject({ outcome: 'undone', logFiles: expect.any(Array) });
      await expectRecovered();
    });
  });
}

/** The child: opens the test's store with the built server and exports, killing itself at CRASH_AT. */
const CHILD = `
import { SecretBox } from './packages/server/dist/crypto/secret-box.js';
import { SqliteStore } from './packages/server/dist/store/sqlite/sqlite-store.js';
import { PostgresStore } from './packages/server/dist/store/postgres/postgres-store.js';
import { loadOrCreateSigningKey } from './packages/server/dist/audit/export/signing-key.js';
import { exportTrail } from './packages/server/dist/audit/export/trail-exporter.js';
const loc = JSON.parse(process.env.CRASH_LOCATION);
const secretBox = new SecretBox(Buffer.from(loc.masterKey, 'hex'));
const store = loc.dialect === 'sqlite'
  ? await SqliteStore.open({ filename: loc.filename, secretBox })
  : await PostgresStore.open({ url: loc.url, schema: loc.schema, secretBox, maxConnections: 1 });
const [step, nth] = process.env.CRASH_AT.split(':');
let seen = 0;
await exportTrail({
  source: store, exportDir: process.env.CRASH_EXPORT_DIR, signingKey: await loadOrCreateSigningKey(process.env.CRASH_KEY_DIR),
  clock: { now: () => new Date('2026-01-01T01:05:00Z') }, maxRecordsPerFile: 2,
  onStep: (s) => { if (s === step && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL'); },
});
console.error('the export finished: it was not killed');
process.exit(3);
`;
