import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { ACCOUNT, at, auditEvent, expectLinearChain, newUser } from '../contract/fixtures.js';
import { SqliteStore } from './sqlite-store.js';

describe('batched audit appends on a SQLite file', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-batched-append-'));
    store = await SqliteStore.open({ filename: join(dir, 'castellan.db'), secretBox: new SecretBox(randomBytes(32)) });
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

  it('answers an empty batch without writing', async () => {
    expect(await store.appendAuditEvents([])).toEqual([]);
    expect(await store.getAuditHead()).toBeUndefined();
  });
});
