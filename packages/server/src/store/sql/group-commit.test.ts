import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { ACCOUNT, at, auditEvent, newUser } from '../contract/fixtures.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { StoreConflictError } from '../store-errors.js';

describe('group commit (SQLite)', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  /** What another process sees: only committed rows. */
  const committedUsers = (): string[] => {
    const reader = new BetterSqlite3(file, { readonly: true });
    try {
      return (reader.prepare('select name from users order by name').all() as { name: string }[]).map((r) => r.name);
    } finally {
      reader.close();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-group-commit-'));
    file = join(dir, 'castellan.db');
    store = await SqliteStore.open({ filename: file, secretBox: new SecretBox(randomBytes(32)) });
    await store.createAccount({ id: ACCOUNT, createDate: at(0) });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('acknowledges transactions ready together only once their shared commit is durable', async () => {
    const order: string[] = [];
    const fast = store.transaction(async (tx) => {
      await tx.createUser(newUser('fast'));
      order.push('fast ran');
    }).then(() => {
      order.push('fast acknowledged');
      expect(committedUsers()).toEqual(['fast', 'slow']);
    });
    const slow = store.transaction(async (tx) => {
      await new Promise((r) => setTimeout(r, 30));
      await tx.createUser(newUser('slow'));
      expect(committedUsers()).toEqual([]);
      order.push('slow ran');
    });
    await Promise.all([fast, slow]);
    expect(order).toEqual(['fast ran', 'slow ran', 'fast acknowledged']);
  });

  it('rolls back only the member that throws, with its audit event, and keeps the chain whole', async () => {
    const boom = new Error('boom');
    const results = await Promise.allSettled(['a', 'b', 'c'].map((name, i) => store.transaction(async (tx) => {
      await tx.createUser(newUser(name));
      await tx.appendAuditEvents([auditEvent(i + 1, { eventName: `Create-${name}`, readOnly: false })]);
      if (name === 'b') throw boom;
    })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBe(boom);
    expect(committedUsers()).toEqual(['a', 'c']);
    const events = await store.scanAuditEvents({ fromSeq: 0, limit: 10 });
    expect(events.map((e) => [e.seq, e.eventName])).toEqual([[1, 'Create-a'], [2, 'Create-c']]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
  });

  it("gives a member its own store error and commits the others' writes", async () => {
    await store.createUser(newUser('taken'));
    const results = await Promise.allSettled([
      store.transaction(async (tx) => void (await tx.createUser(newUser('first')))),
      store.transaction(async (tx) => void (await tx.createUser(newUser('TAKEN')))),
      store.transaction(async (tx) => void (await tx.createUser(newUser('last')))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
    expect(committedUsers()).toEqual(['first', 'last', 'taken']);
  });

  it('lets a transaction arriving after a group started its commit run in the next one', async () => {
    const first = store.transaction(async (tx) => void (await tx.createUser(newUser('one'))));
    await first;
    await store.transaction(async (tx) => void (await tx.createUser(newUser('two'))));
    expect(committedUsers()).toEqual(['one', 'two']);
  });
});
