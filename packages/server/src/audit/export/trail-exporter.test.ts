import { mkdtemp, readFile, rm, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainRows, rowSource, sampleEvent } from '../test-audit-rows.js';
import { verifyExport } from '../verify/verify-export.js';
import type { FindingKind } from '../verify/finding.js';
import { parseDigest, verifyDigestSignature } from './digest.js';
import { listObjects, readObject } from './export-folder.js';
import { parseDigestFileKey, parseLogFileKey } from './layout.js';
import { describePublicKey, loadOrCreateSigningKey, type TrailSigningKey } from './signing-key.js';
import { exportTrail } from './trail-exporter.js';

let dir: string;
let exportDir: string;
let key: TrailSigningKey;
let clockNow: Date;
const clock = { now: () => clockNow };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castellan-export-'));
  exportDir = join(dir, 'trail');
  key = await loadOrCreateSigningKey(join(dir, 'data'));
  clockNow = new Date('2026-01-01T01:00:00Z');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const publicKeys = () => [describePublicKey(key.publicKey, key.createdAt)];

describe('exportTrail', () => {
  it('writes CloudTrail log files and a signed digest that chain across runs', async () => {
    // Given 5 events of one account and 2 of another, in two regions
    const events = [
      ...[1, 2, 3, 4, 5].map((i) => sampleEvent(i)),
      sampleEvent(6, { accountId: '210987654321' }),
      sampleEvent(7, { accountId: '210987654321', service: 'sts', region: 'eu-west-1', eventName: 'GetCallerIdentity' }),
    ];
    const rows = chainRows(events);
    // When the trail is exported twice, with new events in between
    const first = await exportTrail({ source: rowSource(rows.slice(0, 6)), exportDir, signingKey: key, clock, maxRecordsPerFile: 3 });
    clockNow = new Date('2026-01-01T01:05:00Z');
    const second = await exportTrail({ source: rowSource(rows), exportDir, signingKey: key, clock });
    const third = await exportTrail({ source: rowSource(rows), exportDir, signingKey: key, clock });

    // Then every event is exported once, in CloudTrail's layout
    expect(first).toMatchObject({ fromSeq: 1, toSeq: 6, events: 6 });
    expect(first.logFiles).toHaveLength(3); // 3 + 2 for the first account (max 3 per file), 1 for the second
    expect(second).toMatchObject({ fromSeq: 7, toSeq: 7, events: 1 });
    expect(third).toMatchObject({ fromSeq: 8, toSeq: 7, events: 0, logFiles: [], digestFiles: [] });
    const keys = await listObjects(exportDir);
    for (const k of [...first.logFiles, ...second.logFiles]) {
      expect(parseLogFileKey(k)).toBeDefined();
      expect(keys).toContain(k);
    }
    expect(first.logFiles[0]).toMatch(/^AWSLogs\/123456789012\/CloudTrail\/us-east-1\/2026\/01\/01\/123456789012_CloudTrail_us-east-1_20260101T0100Z_[A-Za-z0-9]{16}\.json\.gz$/);
    expect(second.digestFiles[0]).toBe('AWSLogs/210987654321/CloudTrail-Digest/eu-west-1/2026/01/01/210987654321_CloudTrail-Digest_eu-west-1_castellan_us-east-1_20260101T010500Z.json.gz');
    const records = [];
    for (const k of [...first.logFiles, ...second.logFiles]) {
      const body = JSON.parse((await readObject(exportDir, k))!) as { Records: { eventID: string }[] };
      records.push(...body.Records.map((r) => r.eventID));
    }
    expect(records.sort()).toEqual(events.map((e) => e.eventId).sort());

    // And the digest lists its files with their hashes and is signed
    const digestKey = first.digestFiles.find((k) => k.includes('123456789012'))!;
    const digest = parseDigest((await readObject(exportDir, digestKey))!);
    if (!digest.ok) throw new Error(digest.reason);
    expect(digest.digest).toMatchObject({ awsAccountId: '123456789012', digestS3Object: digestKey, digestSignatureAlgorithm: 'Ed25519', previousDigestSignature: null, castellanChain: { toSeq: 6, toHash: rows[5]!.hash } });
    expect(digest.digest.logFiles).toHaveLength(2);
    const signature = (await readObject(exportDir, `${digestKey}.sig`))!;
    expect(verifyDigestSignature(digest.digest, (await readObject(exportDir, digestKey))!, signature, key.publicKey)).toBe(true);
    expect(parseDigestFileKey(digestKey)).toMatchObject({ accountId: '123456789012', region: 'us-east-1' });

    // And the untouched export verifies with no finding
    const verified = await verifyExport({ exportDir, publicKeys: publicKeys() });
    expect(verified.findings).toEqual([]);
    expect(verified.digests).toBe(3);
    expect(verified.anchors.map((a) => a.toSeq).sort()).toEqual([6, 6, 7]);
  });

  it('passes over the events a delivery filter refuses, and keeps no anchor when no digest was written', async () => {
    const OTHER = '210987654321';
    const rows = chainRows([sampleEvent(1), sampleEvent(2, { accountId: OTHER }), sampleEvent(3), sampleEvent(4, { accountId: OTHER })]);
    const onlyOther = async (accountId: string) => () => accountId === OTHER;
    // The stopped account's events only: nothing written, and the anchor stays where it was.
    const none = await exportTrail({ source: rowSource(rows.slice(0, 1)), exportDir, signingKey: key, clock, deliveryFilter: onlyOther });
    expect(none).toMatchObject({ fromSeq: 1, toSeq: 0, events: 0, logFiles: [], digestFiles: [] });
    // With the other account's events: only those are delivered, and the digest anchors the last seq read.
    const some = await exportTrail({ source: rowSource(rows), exportDir, signingKey: key, clock, deliveryFilter: onlyOther });
    expect(some).toMatchObject({ fromSeq: 1, toSeq: 4, events: 2 });
    const delivered = [];
    for (const k of some.logFiles) delivered.push(...(JSON.parse((await readObject(exportDir, k))!) as { Records: { eventID: string; recipientAccountId: string }[] }).Records.map((r) => r.eventID));
    expect(delivered.sort()).toEqual([rows[1]!.eventId, rows[3]!.eventId]);
    expect(some.digestFiles.map((k) => parseDigestFileKey(k)!.accountId)).toEqual([OTHER]);
    expect((await verifyExport({ exportDir, publicKeys: publicKeys() })).findings).toEqual([]);
  });

  it('chains a later digest to the earlier one of the same account and region', async () => {
    const rows = chainRows([1, 2, 3].map((i) => sampleEvent(i)));
    const a = await exportTrail({ source: rowSource(rows.slice(0, 2)), exportDir, signingKey: key, clock });
    // Same second: the second digest still gets a later name.
    const b = await exportTrail({ source: rowSource(rows), exportDir, signingKey: key, clock });
    const second = parseDigest((await readObject(exportDir, b.digestFiles[0]!))!);
    if (!second.ok) throw new Error(second.reason);
    expect(b.digestFiles[0]).not.toBe(a.digestFiles[0]);
    expect(second.digest.previousDigestS3Object).toBe(a.digestFiles[0]);
    expect(second.digest.previousDigestSignature).toBe((await readObject(exportDir, `${a.digestFiles[0]}.sig`))!.trim());
    expect(second.digest.digestStartTime).toBe('2026-01-01T01:00:00Z');
    expect(second.digest.digestEndTime).toBe('2026-01-01T01:00:01Z');
    expect((await verifyExport({ exportDir, publicKeys: publicKeys() })).findings).toEqual([]);
  });
});

describe('verifyExport catches each kind of tampering', () => {
  // Three runs, so there is a first, a middle and a newest digest.
  async function threeRuns(): Promise<{ logs: string[][]; digests: string[] }> {
    const rows = chainRows([1, 2, 3, 4, 5, 6].map((i) => sampleEvent(i)));
    const logs: string[][] = [];
    const digests: string[] = [];
    for (const [n, t] of [[2, '01:00'], [4, '01:05'], [6, '01:10']] as const) {
      clockNow = new Date(`2026-01-01T${t}:00Z`);
      const r = await exportTrail({ source: rowSource(rows.slice(0, n)), exportDir, signingKey: key, clock });
      logs.push(r.logFiles);
      digests.push(r.digestFiles[0]!);
    }
    return { logs, digests };
  }
  const path = (k: string) => join(exportDir, ...k.split('/'));
  const rewriteGz = async (k: string, edit: (s: string) => string) => {
    await writeFile(path(k), gzipSync(edit(gunzipSync(await readFile(path(k))).toString('utf8'))));
  };

  const cases: { name: string; tamper: (t: { logs: string[][]; digests: string[] }) => Promise<void>; expect: { kind: FindingKind; key: (t: { logs: string[][]; digests: string[] }) => string }[] }[] = [
    {
      name: 'edit an exported log file',
      tamper: (t) => rewriteGz(t.logs[1]![0]!, (s) => s.replace('user-3', 'user-X')),
      expect: [{ kind: 'file-modified', key: (t) => t.logs[1]![0]! }],
    },
    {
      name: 'delete a log file',
      tamper: (t) => unlink(path(t.logs[0]![0]!)),
      expect: [{ kind: 'file-missing', key: (t) => t.logs[0]![0]! }],
    },
    {
      name: 'add a log file no digest lists',
      tamper: async (t) => {
        const k = t.logs[0]![0]!.replace(/_[A-Za-z0-9]{16}\.json\.gz$/, '_AAAAAAAAAAAAAAAA.json.gz');
        await writeFile(path(k), gzipSync('{"Records":[]}'));
        t.logs.push([k]);
      },
      expect: [{ kind: 'file-unlisted', key: (t) => t.logs[3]![0]! }],
    },
    {
      name: 'remove a digest in the middle of the chain',
      tamper: (t) => unlink(path(t.digests[1]!)),
      expect: [
        { kind: 'digest-missing', key: (t) => t.digests[1]! },
        { kind: 'file-unlisted', key: (t) => t.logs[1]![0]! },
      ],
    },
    {
      name: 'remove the newest digest',
      tamper: async (t) => {
        await unlink(path(t.digests[2]!));
        await unlink(path(`${t.digests[2]!}.sig`));
      },
      expect: [{ kind: 'file-unlisted', key: (t) => t.logs[2]![0]! }],
    },
    {
      name: 'edit a digest (to hide a log file) and keep its name',
      tamper: (t) => rewriteGz(t.digests[1]!, (s) => { const d = JSON.parse(s); d.logFiles = []; return JSON.stringify(d); }),
      expect: [
        { kind: 'digest-modified', key: (t) => t.digests[1]! },
        { kind: 'digest-signature-invalid', key: (t) => t.digests[1]! },
        { kind: 'file-unlisted', key: (t) => t.logs[1]![0]! },
      ],
    },
    {
      name: 'edit the newest digest',
      tamper: (t) => rewriteGz(t.digests[2]!, (s) => s.replace('"newestEventTime":"2026', '"newestEventTime":"2027')),
      expect: [{ kind: 'digest-signature-invalid', key: (t) => t.digests[2]! }],
    },
    {
      name: 'remove the newest digest\'s signature',
      tamper: (t) => unlink(path(`${t.digests[2]!}.sig`)),
      expect: [{ kind: 'digest-signature-missing', key: (t) => t.digests[2]! }],
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      // Given an export of three runs that verifies
      const t = await threeRuns();
      expect((await verifyExport({ exportDir, publicKeys: publicKeys() })).findings).toEqual([]);
      // When it is tampered with
      await c.tamper(t);
      // Then verification reports exactly what was done
      const r = await verifyExport({ exportDir, publicKeys: publicKeys() });
      expect(r.findings.map((f) => ({ kind: f.kind, key: f.key }))).toEqual(c.expect.map((e) => ({ kind: e.kind, key: e.key(t) })));
    });
  }

  it('a digest signed by another key fails', async () => {
    await threeRuns();
    const other = await loadOrCreateSigningKey(join(dir, 'other'));
    const r = await verifyExport({ exportDir, publicKeys: [describePublicKey(other.publicKey, other.createdAt)] });
    expect(r.findings.length).toBeGreaterThan(0);
    expect(new Set(r.findings.map((f) => f.kind))).toEqual(new Set(['digest-signature-invalid']));
  });
});
