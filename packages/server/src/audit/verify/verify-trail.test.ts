import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH, legacyChainHash, type KeyedChainFormat } from '../../store/chain-hash.js';
import { describePublicKey, loadOrCreateSigningKey, type TrailSigningKey } from '../export/signing-key.js';
import { applyRetention } from '../export/retention.js';
import { exportTrail } from '../export/trail-exporter.js';
import { toNewAuditEvent } from '../store-audit-log.js';
import { sampleEvent } from '../test-audit-rows.js';
import { openTamperableStore, TEST_DIALECTS, type TamperableStore } from '../test-audit-store.js';
import type { FindingKind } from './finding.js';
import { verifyStoredChain } from './verify-stored-chain.js';
import { verifyTrail } from './verify-trail.js';

/**
 * Rewrites the hash chain from `fromSeq` on, as an attacker who holds the chain key would (or as an
 * older server wrote it, in the format `formatAt` gives a seq).
 */
async function rehashFrom(t: TamperableStore, fromSeq: number, formatAt?: (seq: number) => KeyedChainFormat): Promise<void> {
  const rows = await t.store.scanAuditEvents({ fromSeq: 1, limit: 10_000 });
  let prev = fromSeq === 1 ? GENESIS_HASH : rows.find((r) => r.seq === fromSeq - 1)?.hash;
  for (const r of rows.filter((x) => x.seq >= fromSeq)) {
    const hash = t.store.auditChainHash(prev!, r.seq, r, formatAt?.(r.seq));
    await t.exec('update audit_events set prev_hash = ?, hash = ? where seq = ?', [prev, hash, r.seq]);
    prev = hash;
  }
}

async function rowOf(t: TamperableStore, seq: number) {
  return (await t.store.scanAuditEvents({ fromSeq: seq, limit: 1 }))[0]!;
}

/** Each kind of tampering with stored rows, and exactly what verification must report. */
const STORE_CASES: { name: string; tamper: (t: TamperableStore) => Promise<void>; expect: { kind: FindingKind; seq: number }[] }[] = [
  {
    name: 'edit a record',
    tamper: (t) => t.exec(`update audit_events set record = replace(record, 'user-4', 'user-X') where seq = 4`),
    expect: [{ kind: 'record-modified', seq: 4 }],
  },
  {
    name: 'edit a record and recompute its own hash',
    tamper: async (t) => {
      const r = await rowOf(t, 4);
      const record = r.recordJson.replace('user-4', 'user-X');
      await t.exec('update audit_events set record = ?, hash = ? where seq = 4', [record, t.store.auditChainHash(r.prevHash, 4, { ...r, recordJson: record })]);
    },
    expect: [{ kind: 'record-modified', seq: 4 }],
  },
  {
    name: 'edit an indexed column to hide an event from its account',
    tamper: (t) => t.exec(`update audit_events set account_id = '999999999999' where seq = 6`),
    expect: [{ kind: 'record-modified', seq: 6 }],
  },
  {
    name: 'edit the username column (LookupEvents by Username then finds the wrong events)',
    tamper: (t) => t.exec(`update audit_events set username = 'mallory' where seq = 5`),
    expect: [{ kind: 'record-modified', seq: 5 }],
  },
  {
    name: 'edit a resource row',
    tamper: (t) => t.exec(`update audit_event_resources set resource_name = 'user-X' where seq = 3`),
    expect: [{ kind: 'record-modified', seq: 3 }],
  },
  {
    name: 'delete a resource row',
    tamper: (t) => t.exec('delete from audit_event_resources where seq = 7'),
    expect: [{ kind: 'record-modified', seq: 7 }],
  },
  {
    name: 'add a resource row',
    tamper: async (t) => {
      const r = await rowOf(t, 2);
      await t.exec(
        'insert into audit_event_resources (seq, position, account_id, event_time, resource_type, resource_name) values (?, ?, ?, ?, ?, ?)',
        [2, 1, r.accountId, r.eventTime.getTime(), 'AWS::IAM::Role', 'admin'],
      );
    },
    expect: [{ kind: 'record-modified', seq: 2 }],
  },
  {
    name: 'edit the username column and rehash the row in the first (record-only) format',
    tamper: async (t) => {
      const r = await rowOf(t, 8);
      await t.exec(`update audit_events set username = 'mallory', hash = ? where seq = 8`, [legacyChainHash(r.prevHash, 8, r.eventId, r.recordJson)]);
    },
    expect: [{ kind: 'record-modified', seq: 8 }],
  },
  {
    name: 'delete one',
    tamper: async (t) => {
      await t.exec('delete from audit_event_resources where seq = 4');
      await t.exec('delete from audit_events where seq = 4');
    },
    expect: [{ kind: 'record-deleted', seq: 4 }],
  },
  {
    name: 'delete one and renumber the rest',
    tamper: async (t) => {
      await t.exec('delete from audit_events where seq = 4');
      await t.exec('update audit_events set seq = -(seq - 1) where seq > 4');
      await t.exec('update audit_events set seq = -seq where seq < 0');
    },
    expect: [{ kind: 'record-deleted', seq: 4 }],
  },
  {
    name: 'swap two',
    tamper: async (t) => {
      await t.exec('update audit_events set seq = -3 where seq = 3');
      await t.exec('update audit_events set seq = 3 where seq = 7');
      await t.exec('update audit_events set seq = 7 where seq = -3');
    },
    expect: [{ kind: 'record-reordered', seq: 3 }, { kind: 'record-reordered', seq: 7 }],
  },
  {
    name: 'swap two neighbours',
    tamper: async (t) => {
      await t.exec('update audit_events set seq = -5 where seq = 5');
      await t.exec('update audit_events set seq = 5 where seq = 6');
      await t.exec('update audit_events set seq = 6 where seq = -5');
    },
    expect: [{ kind: 'record-reordered', seq: 5 }, { kind: 'record-reordered', seq: 6 }],
  },
  {
    name: 'insert one in the middle (renumbering what follows, the new row correctly hashed)',
    tamper: async (t) => {
      const before = await rowOf(t, 4);
      await t.exec('update audit_events set seq = -(seq + 1) where seq >= 5');
      await t.exec('update audit_events set seq = -seq where seq < 0');
      const fake = sampleEvent(99);
      await t.exec(
        'insert into audit_events (seq, event_id, account_id, event_time, event_source, event_name, read_only, username, access_key_id, error_code, record, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [5, fake.eventId, fake.accountId, fake.eventTime.getTime(), fake.eventSource, fake.eventName, 0, fake.username, fake.accessKeyId, null, fake.recordJson, before.hash, t.store.auditChainHash(before.hash, 5, { ...fake, resources: [] })],
      );
    },
    expect: [{ kind: 'record-inserted', seq: 5 }],
  },
];

for (const dialect of TEST_DIALECTS) {
  describe(`trail verification on ${dialect}`, () => {
    let t: TamperableStore;
    let dir: string;
    let key: TrailSigningKey;
    let now: Date;
    const clock = { now: () => now };
    beforeEach(async () => {
      t = await openTamperableStore(dialect);
      dir = await mkdtemp(join(tmpdir(), 'castellan-verify-'));
      key = await loadOrCreateSigningKey(join(dir, 'data'));
      now = new Date('2026-01-02T00:00:00Z');
      // Given ten events appended in three transactions
      await t.store.appendAuditEvents([1, 2, 3].map((i) => sampleEvent(i)));
      await t.store.transaction((tx) => tx.appendAuditEvents([4, 5, 6, 7].map((i) => sampleEvent(i))));
      await t.store.appendAuditEvents([8, 9, 10].map((i) => sampleEvent(i)));
    });
    afterEach(async () => {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    });
    const publicKeys = () => [describePublicKey(key.publicKey, key.createdAt)];
    const exportDir = () => join(dir, 'trail');

    it('a rewrite of history without the chain key is found, with no export to compare', async () => {
      // Given an attacker with database access but not the master key, who edits seq 4 and
      // recomputes the chain from there with the formula and a key of their own
      await t.exec(`update audit_events set record = replace(record, 'user-4', 'user-X') where seq = 4`);
      const rows = await t.store.scanAuditEvents({ fromSeq: 1, limit: 100 });
      let prev = rows[2]!.hash;
      for (const r of rows.slice(3)) {
        const hash = chainHash(Buffer.alloc(32, 1), prev, r.seq, r);
        await t.exec('update audit_events set prev_hash = ?, hash = ? where seq = ?', [prev, hash, r.seq]);
        prev = hash;
      }
      // Then every rewritten row fails its hash
      const r = await verifyStoredChain({ source: t.store });
      expect(r.findings.map((f) => [f.kind, f.seq])).toEqual([4, 5, 6, 7, 8, 9, 10].map((seq) => ['record-modified', seq]));
    });

    it('warns when stored events older than the export interval are in no digest', async () => {
      // Given an export of the ten events
      await exportTrail({ source: t.store, exportDir: exportDir(), signingKey: key, clock });
      const verify = (at: Date) => verifyTrail({ store: t.store, exportDir: exportDir(), publicKeys: publicKeys(), now: at, exportIntervalMs: 5 * 60_000 });
      expect((await verify(now)).warnings).toEqual([]);
      // When two more events are stored and no export follows
      await t.store.appendAuditEvents([11, 12].map((i) => sampleEvent(i)));
      // Then verify finds nothing wrong but warns once they are older than the interval
      const stale = await verify(now);
      expect(stale.findings).toEqual([]);
      expect(stale.warnings).toEqual([expect.stringMatching(/^2 stored event\(s\) from 2026-01-01T00:00:11\.000Z on are in no digest, though older than the export interval \(5 min\)/)]);
      expect((await verify(new Date('2026-01-01T00:01:00Z'))).warnings).toEqual([]);
    });

    it('a trail begun in the v2 format verifies after the upgrade to v3, and an edit of a v2 row is still found', async () => {
      // Given seqs 1-5 as a server of the v2 format wrote them, and 6-10 written since
      await rehashFrom(t, 1, (seq) => (seq <= 5 ? 'v2' : 'v3'));
      const rows = await t.store.scanAuditEvents({ fromSeq: 1, limit: 100 });
      expect(rows.map((r) => r.hash.slice(0, 3))).toEqual([...Array(5).fill('v2:'), ...Array(5).fill('v3:')]);
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
      // When a v2 row's record is edited
      await t.exec(`update audit_events set record = replace(record, 'user-3', 'user-X') where seq = 3`);
      // Then it is found
      const r = await verifyStoredChain({ source: t.store });
      expect(r.findings.map((f) => ({ kind: f.kind, seq: f.seq }))).toEqual([{ kind: 'record-modified', seq: 3 }]);
    });

    it('events another process appends while the walk reads are not reported as inserted (the head is read again at the end)', async () => {
      // Given a running server's store on the same database, which appends three events right
      // after the walk has read its first batch (a slow reader: the walk is held there until they are stored)
      const server = await t.openAnother();
      let appended = 0;
      const source: Parameters<typeof verifyStoredChain>[0]['source'] = {
        getAuditCheckpoint: () => t.store.getAuditCheckpoint(),
        getAuditHead: () => t.store.getAuditHead(),
        auditChainHash: (prevHash, seq, event, format) => t.store.auditChainHash(prevHash, seq, event, format),
        getAuditResources: (seqs) => t.store.getAuditResources(seqs),
        async scanAuditEvents(query) {
          const batch = await t.store.scanAuditEvents(query);
          if (appended === 0) appended = (await server.appendAuditEvents([11, 12, 13].map((i) => sampleEvent(i)))).length;
          return batch;
        },
      };
      // When the stored chain is verified
      const r = await verifyStoredChain({ source });
      // Then the walk read the events appended meanwhile, past the head it read at the start, and
      // reports nothing: they were appended, not inserted
      expect(appended).toBe(3);
      expect({ rows: r.rows, head: r.head?.seq, findings: r.findings }).toEqual({ rows: 13, head: 10, findings: [] });
      // And the whole chain, read again, verifies
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
    });

    it('an untouched trail verifies, stored and exported', async () => {
      await exportTrail({ source: t.store, exportDir: exportDir(), signingKey: key, clock });
      const r = await verifyTrail({ store: t.store, exportDir: exportDir(), publicKeys: publicKeys() });
      expect(r.findings).toEqual([]);
      expect(r).toMatchObject({ storedEvents: 10, checkedEvents: 10, digests: 1, logFiles: 1 });
    });

    it('a sign-in record with AWS\'s empty accessKeyId (an unknown user name) verifies: an empty key is no column value', async () => {
      // Given the ConsoleLogin of a name that is no user, stored as the audit log stores it
      await t.store.appendAuditEvents([toNewAuditEvent({
        eventId: '00000000-0000-4000-8000-000000000011', requestId: 'req-11', eventTime: new Date('2026-01-01T00:00:11Z'), service: 'signin', eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', region: 'us-east-1', global: true, sourceIp: '192.0.2.1', userAgent: 'test', accountId: '123456789012',
        unknownSignInName: true, readOnly: false, response: { ConsoleLogin: 'Failure' }, error: { code: 'ConsoleLoginFailure', message: 'No username found in supplied account' },
      })]);
      expect(JSON.parse((await rowOf(t, 11)).recordJson).userIdentity.accessKeyId).toBe('');
      // Then the stored chain has nothing to report
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
    });

    for (const c of STORE_CASES) {
      it(`catches: ${c.name}`, async () => {
        // When the rows are tampered with
        await c.tamper(t);
        // Then the stored chain reports exactly that
        const r = await verifyStoredChain({ source: t.store });
        expect(r.findings.map((f) => ({ kind: f.kind, seq: f.seq }))).toEqual(c.expect);
      });
    }

    it('catches a chain rewritten after export (every hash recomputed) through the signed anchor', async () => {
      await exportTrail({ source: t.store, exportDir: exportDir(), signingKey: key, clock });
      await t.exec(`update audit_events set record = replace(record, 'user-4', 'user-X') where seq = 4`);
      await rehashFrom(t, 4);
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
      const r = await verifyTrail({ store: t.store, exportDir: exportDir(), publicKeys: publicKeys() });
      expect(r.findings.map((f) => ({ kind: f.kind, seq: f.seq }))).toEqual([{ kind: 'anchor-mismatch', seq: 10 }]);
    });

    it('catches the newest events deleted after export', async () => {
      await exportTrail({ source: t.store, exportDir: exportDir(), signingKey: key, clock });
      await t.exec('delete from audit_events where seq >= 9');
      const r = await verifyTrail({ store: t.store, exportDir: exportDir(), publicKeys: publicKeys() });
      expect(r.findings.map((f) => ({ kind: f.kind, seq: f.seq }))).toEqual([{ kind: 'record-deleted', seq: 9 }]);
    });

    it('retention exports, deletes the old prefix, and what remains still verifies', async () => {
      // Given events 1..10 on 2026-01-01 and two newer ones
      await t.store.appendAuditEvents([sampleEvent(11, { time: new Date('2026-01-20T00:00:00Z') }), sampleEvent(12, { time: new Date('2026-01-21T00:00:00Z') })]);
      now = new Date('2026-01-25T00:00:00Z');
      // When retention of 10 days runs
      const r = await applyRetention({ store: t.store, export: { exportDir: exportDir(), signingKey: key, clock }, retentionDays: 10 });
      // Then the ten old events are exported and deleted, the chain continues from the checkpoint
      expect(r).toMatchObject({ deleted: 10, throughSeq: 10, exported: { toSeq: 12, events: 12 } });
      expect(await t.store.getAuditCheckpoint()).toMatchObject({ seq: 10 });
      await t.store.appendAuditEvents([sampleEvent(13, { time: new Date('2026-01-25T00:00:00Z') })]);
      await exportTrail({ source: t.store, exportDir: exportDir(), signingKey: key, clock });
      const v = await verifyTrail({ store: t.store, exportDir: exportDir(), publicKeys: publicKeys() });
      expect(v.findings).toEqual([]);
      expect(v.storedEvents).toBe(3);
      // And deleting the first remaining event is still caught
      await t.exec('delete from audit_events where seq = 11');
      const after = await verifyTrail({ store: t.store, exportDir: exportDir(), publicKeys: publicKeys() });
      expect(after.findings.map((f) => ({ kind: f.kind, seq: f.seq }))).toEqual([{ kind: 'record-deleted', seq: 11 }]);
    });

    it('retention deletes in steps (each holds the chain lock briefly), and the chain still verifies', async () => {
      now = new Date('2026-01-25T00:00:00Z');
      const through: number[] = [];
      const store = { ...t.store, deleteAuditEventsThrough: (seq: number) => (through.push(seq), t.store.deleteAuditEventsThrough(seq)) };
      const r = await applyRetention({ store, export: { exportDir: exportDir(), signingKey: key, clock }, retentionDays: 10, deleteStep: 3 });
      expect([r.deleted, r.throughSeq, through]).toEqual([10, 10, [3, 6, 9, 10]]);
      expect(await t.store.getAuditCheckpoint()).toMatchObject({ seq: 10 });
      expect((await verifyTrail({ store: t.store, exportDir: exportDir(), publicKeys: publicKeys() })).findings).toEqual([]);
    });

    it('after a retention checkpoint in a keyed format, rows rewritten in the first (unkeyed) format are found', async () => {
      // Given retention deleted events 1..10 (the checkpoint's hash is keyed) and two events since
      now = new Date('2026-01-25T00:00:00Z');
      await applyRetention({ store: t.store, export: { exportDir: exportDir(), signingKey: key, clock }, retentionDays: 10 });
      await t.store.appendAuditEvents([11, 12].map((i) => sampleEvent(i, { time: new Date('2026-01-25T00:00:00Z') })));
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
      // When someone without the chain key edits them and rehashes them in the first format, chained from the checkpoint
      let prev = (await t.store.getAuditCheckpoint())!.hash;
      for (const seq of [11, 12]) {
        await t.exec(`update audit_events set record = replace(record, 'user-${seq}', 'user-X') where seq = ?`, [seq]);
        const r = await rowOf(t, seq);
        const hash = legacyChainHash(prev, seq, r.eventId, r.recordJson);
        await t.exec('update audit_events set prev_hash = ?, hash = ? where seq = ?', [prev, hash, seq]);
        prev = hash;
      }
      // Then both are found: no event after a keyed hash may carry the first format
      const r = await verifyStoredChain({ source: t.store });
      expect(r.findings.map((f) => ({ kind: f.kind, seq: f.seq }))).toEqual([{ kind: 'record-modified', seq: 11 }, { kind: 'record-modified', seq: 12 }]);
    });

    it('reports export progress per file hashed (digest and log files), not per digest', async () => {
      await exportTrail({ source: t.store, exportDir: exportDir(), signingKey: key, clock, maxRecordsPerFile: 3 });
      const calls: [string, number, number][] = [];
      await verifyTrail({ store: t.store, exportDir: exportDir(), publicKeys: publicKeys(), onProgress: (p, d, n) => calls.push([p, d, n]) });
      // one digest and four log files (10 events, 3 per file)
      expect(calls.filter(([p]) => p === 'export')).toEqual([1, 2, 3, 4, 5].map((d) => ['export', d, 5]));
    });

    it('catches an export removed after retention deleted the events it holds', async () => {
      now = new Date('2026-01-25T00:00:00Z');
      await applyRetention({ store: t.store, export: { exportDir: exportDir(), signingKey: key, clock }, retentionDays: 10 });
      await t.store.appendAuditEvents([sampleEvent(11, { time: new Date('2026-01-25T00:00:00Z') })]);
      await rm(exportDir(), { recursive: true, force: true });
      const r = await verifyTrail({ store: t.store, exportDir: exportDir(), publicKeys: [] });
      expect(r.findings.map((f) => ({ kind: f.kind, where: f.where }))).toEqual([{ kind: 'digest-missing', where: 'export' }]);
      expect(r.findings[0]!.message).toContain('events up to seq 10 were exported and then deleted from the database by retention');
    });

    it('limits row checks to --from/--to but still follows the chain', async () => {
      await t.exec(`update audit_events set record = replace(record, 'user-2', 'user-X') where seq = 2`);
      const inside = await verifyStoredChain({ source: t.store, from: new Date('2026-01-01T00:00:01Z'), to: new Date('2026-01-01T00:00:03Z') });
      expect(inside.findings.map((f) => f.seq)).toEqual([2]);
      expect(inside.checked).toBe(3);
      const outside = await verifyStoredChain({ source: t.store, from: new Date('2026-01-01T00:00:05Z') });
      expect(outside.findings).toEqual([]);
    });
  });
}
