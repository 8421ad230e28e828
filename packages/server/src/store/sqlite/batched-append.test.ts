import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { ACCOUNT, at, auditEvent, expectLinearChain, newUser } from '../contract/fixtures.js';
import { StoreConflictError } from '../store-errors.js';
import { APPEND_SLICE } from './batched-append.js';
import { SqliteStore } from './sqlite-store.js';

// The same behaviour on both paths: the worker thread (a file database's default) and the server's connection.
describe.each([
  { path: 'the audit worker thread', auditWorker: true },
  { path: 'the server\'s connection', auditWorker: false },
])('batched audit appends on a SQLite file, by $path', ({ auditWorker }) => {
  let dir: string;
  let store: SqliteStore;
  const secretBox = new SecretBox(randomBytes(32));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-batched-append-'));
    store = await SqliteStore.open({ filename: join(dir, 'castellan.db'), secretBox, auditWorker });
    await store.createAccount({ id: ACCOUNT, createDate: at(0) });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps one unbroken chain while batches and mutations with their records interleave', async () => {
    // Given batches appended outside any transaction while transactions append their own records
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => store.appendAuditEvents([auditEvent(i * 10), auditEvent(i * 10 + 1)])),
      ...Array.from({ length: 5 }, (_, i) => store.transaction(async (tx) => {
        await tx.createUser(newUser(`u${i}`));
        await tx.appendAuditEvents([auditEvent(100 + i)]);
      })),
    ]);
    // Then every record is in the chain, in order, and the chain verifies
    const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 100 });
    expect(rows).toHaveLength(15);
    expectLinearChain(store, rows);
  });

  it('chains a batch of several slices as one, and writes none of it when a later slice fails', async () => {
    // Given a batch longer than one slice whose last event repeats the first one's id
    const events = Array.from({ length: APPEND_SLICE * 2 + 1 }, (_, i) => auditEvent(i));
    await expect(store.appendAuditEvents([...events, auditEvent(999, { eventId: events[0]!.eventId })])).rejects.toBeInstanceOf(StoreConflictError);
    // Then nothing of it was stored; When the valid events are appended, Then they chain in order
    expect(await store.getAuditHead()).toBeUndefined();
    const chain = await store.appendAuditEvents(events);
    expect(chain.map((c) => c.seq)).toEqual(events.map((_, i) => i + 1));
    const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 1000 });
    expect(rows.map((r) => r.eventId)).toEqual(events.map((e) => e.eventId));
    expectLinearChain(store, rows);
  });

  it('a batch of several slices appended again chains only its new events and returns the stored ones\' links', async () => {
    // Given a batch longer than one slice stored (as when its first answer was lost)
    const stored = Array.from({ length: APPEND_SLICE + 1 }, (_, i) => auditEvent(i));
    const first = await store.appendAuditEvents(stored);
    // When it is appended again, new events between and after its own
    const fresh = Array.from({ length: APPEND_SLICE + 1 }, (_, i) => auditEvent(1000 + i));
    const again = await store.appendAuditEvents(stored.flatMap((e, i) => [e, fresh[i]!]));
    // Then the stored events keep their links, the new ones continue the chain, and it verifies
    expect(again.filter((_, i) => i % 2 === 0)).toEqual(first);
    expect(again.filter((_, i) => i % 2 === 1).map((c) => c.seq)).toEqual(fresh.map((_, i) => stored.length + i + 1));
    const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 1000 });
    expect(rows.map((r) => r.eventId)).toEqual([...stored, ...fresh].map((e) => e.eventId));
    expectLinearChain(store, rows);
  });

  it('an orderly close writes the batches in flight first, and a reopened store has them', async () => {
    // Given batches whose appends have not settled yet
    const appends = Array.from({ length: 3 }, (_, i) => store.appendAuditEvents([auditEvent(i)]));
    // When the store closes meanwhile
    await store.close();
    await Promise.all(appends);
    // Then all of them were written, as one chain
    store = await SqliteStore.open({ filename: join(dir, 'castellan.db'), secretBox, auditWorker });
    const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 100 });
    expect(rows).toHaveLength(3);
    expectLinearChain(store, rows);
  });

  it('answers an empty batch without writing', async () => {
    expect(await store.appendAuditEvents([])).toEqual([]);
    expect(await store.getAuditHead()).toBeUndefined();
  });
});
