import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { CachedStateChange } from '../../domain/ports/change-feed.js';
import { SecretBox } from '../../crypto/secret-box.js';
import type { ChangeFeed } from '../../domain/ports/change-feed.js';
import { publishingChanges } from '../change-publishing-store.js';
import { ACCOUNT, at, newUser } from '../contract/fixtures.js';
import { createTestPostgresSchema, TEST_POSTGRES_URL, testDialects } from '../testing.js';
import { PostgresChangeFeed, notificationPayloads } from './postgres-change-feed.js';
import { PostgresStore } from './postgres-store.js';

const selected = testDialects().includes('postgres');

/** Collects what a feed's subscriber hears, and waits for it. */
function recorder(feed: PostgresChangeFeed) {
  const heard: CachedStateChange[] = [];
  feed.subscribe((change) => heard.push(change));
  return {
    heard,
    async until(predicate: (heard: CachedStateChange[]) => boolean, timeoutMs = 1_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(heard)) {
        if (Date.now() > deadline) throw new Error(`not heard within ${timeoutMs} ms: ${JSON.stringify(heard).slice(0, 300)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

const KEY_CHANGE: CachedStateChange = { scope: 'access-key', accountId: '123456789012', key: 'AKIAEXAMPLEEXAMPLE01' };

describe('notificationPayloads', () => {
  const longKey = (i: number) => `arn:aws:iam::123456789012:policy/${'p'.repeat(150)}-${i}`;
  const decode = (payloads: string[]) => payloads.flatMap((p) => (JSON.parse(p) as { c: CachedStateChange[] }).c);
  const cases: Array<{ name: string; changes: CachedStateChange[]; expected: (out: string[]) => void }> = [
    { name: 'one small change: one notification', changes: [KEY_CHANGE], expected: (out) => expect(decode(out)).toEqual([KEY_CHANGE]) },
    {
      name: 'many changes: packed in order, each payload under the limit',
      changes: Array.from({ length: 200 }, (_, i) => ({ scope: 'policy', accountId: '123456789012', key: longKey(i) })),
      expected: (out) => {
        expect(out.length).toBeGreaterThan(1);
        expect(out.every((p) => Buffer.byteLength(p) <= 7_000)).toBe(true);
        expect(decode(out).map((c) => ('key' in c ? c.key : ''))).toEqual(Array.from({ length: 200 }, (_, i) => longKey(i)));
      },
    },
    {
      name: 'a change too long to fit: widened to its account',
      changes: [{ scope: 'principal', accountId: '123456789012', key: 'x'.repeat(9_000) }],
      expected: (out) => expect(decode(out)).toEqual([{ scope: 'account', accountId: '123456789012' }]),
    },
    {
      name: 'too many notifications: widened to the accounts involved',
      changes: Array.from({ length: 3_000 }, (_, i) => ({ scope: 'policy', accountId: i % 2 ? '111111111111' : '222222222222', key: longKey(i) })),
      expected: (out) => expect(decode(out)).toEqual([{ scope: 'account', accountId: '222222222222' }, { scope: 'account', accountId: '111111111111' }]),
    },
  ];
  for (const { name, changes, expected } of cases) it(name, () => expected(notificationPayloads('origin', changes)));
});

(selected ? describe : describe.skip)('PostgresChangeFeed (real PostgreSQL)', () => {
  const feeds: PostgresChangeFeed[] = [];
  const open = async (schema: string) => {
    const feed = await PostgresChangeFeed.open({ url: TEST_POSTGRES_URL, schema, reconnectDelayMs: { initial: 50, max: 200 } });
    feeds.push(feed);
    return feed;
  };
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((f) => f.close()));
  });
  const newSchema = () => `castellan_test_${randomBytes(6).toString('hex')}`;

  it('delivers a change to this node at once and to another node within a second, never to another schema', async () => {
    // Given two nodes on one schema and a node on another
    const schema = newSchema();
    const [a, b, other] = [await open(schema), await open(schema), await open(newSchema())];
    const [onA, onB, onOther] = [recorder(a), recorder(b), recorder(other)];

    // When node A publishes
    await a.publish([KEY_CHANGE]);

    // Then A heard it once, synchronously; B within a second; the other schema never
    expect(onA.heard).toEqual([KEY_CHANGE]);
    await onB.until((h) => h.length === 1);
    expect(onB.heard).toEqual([KEY_CHANGE]);
    await new Promise((r) => setTimeout(r, 200));
    expect(onA.heard).toEqual([KEY_CHANGE]);
    expect(onOther.heard).toEqual([]);
  });

  it('carries a publish larger than one notification, in order', async () => {
    const schema = newSchema();
    const [a, b] = [await open(schema), await open(schema)];
    const onB = recorder(b);
    const changes: CachedStateChange[] = Array.from({ length: 300 }, (_, i) => ({ scope: 'principal', accountId: '123456789012', key: `arn:aws:iam::123456789012:user/${'u'.repeat(60)}${i}` }));

    await a.publish(changes);

    await onB.until((h) => h.length === 300);
    expect(onB.heard).toEqual(changes);
  });

  it('after losing its connection, reconnects, tells its subscribers everything, and hears again', async () => {
    // Given two nodes
    const schema = newSchema();
    const [a, b] = [await open(schema), await open(schema)];
    const onB = recorder(b);

    // When B's listening connection is killed by the server (as a restart or failover would)
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      const killed = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [b.applicationName]);
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }

    // Then B catches up with `everything` once it is back, and hears A's next change
    await onB.until((h) => h.some((c) => c.scope === 'everything'), 5_000);
    expect({ connected: b.connected, reconnections: b.reconnections }).toEqual({ connected: true, reconnections: 1 });
    await a.publish([KEY_CHANGE]);
    await onB.until((h) => h.some((c) => c.scope === 'access-key'));
  });

  it('built without waiting, it connects in the background, tells its subscribers everything, then hears others', async () => {
    const schema = newSchema();
    const a = await open(schema);
    const b = new PostgresChangeFeed({ url: TEST_POSTGRES_URL, schema });
    feeds.push(b);
    const onB = recorder(b);
    await onB.until((h) => h.some((c) => c.scope === 'everything'), 5_000);
    await a.publish([KEY_CHANGE]);
    await onB.until((h) => h.some((c) => c.scope === 'access-key'));
  });

  it('while it cannot listen, tells its subscribers everything at each interval', async () => {
    const feed = new PostgresChangeFeed({ url: 'postgres://postgres@127.0.0.1:1/test', schema: newSchema(), disconnectedFlushMs: 50, reconnectDelayMs: { initial: 50, max: 100 } });
    feeds.push(feed);
    const heard = recorder(feed);
    await heard.until((h) => h.filter((c) => c.scope === 'everything').length >= 3, 2_000);
    expect(feed.connected).toBe(false);
  });

  it('open() fails when PostgreSQL cannot be reached', async () => {
    await expect(PostgresChangeFeed.open({ url: 'postgres://postgres@127.0.0.1:1/test', schema: newSchema() })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('closes cleanly: its connections leave and its subscribers hear nothing more', async () => {
    const schema = newSchema();
    const [a, b] = [await open(schema), await open(schema)];
    const onB = recorder(b);
    const name = b.applicationName;

    await b.close();
    await a.publish([KEY_CHANGE]);
    await new Promise((r) => setTimeout(r, 200));

    expect(onB.heard).toEqual([]);
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      const left = await admin.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [name]);
      expect(left.rows[0].n).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it("a store's changes reach other nodes with their COMMIT: even when nothing runs after it, never after a rollback", async () => {
    // Given node A's store publishing on a feed whose post-commit step never happens (a node
    // killed right after its COMMIT), and node B listening on the same schema
    const pgSchema = await createTestPostgresSchema();
    const raw = await PostgresStore.open({ url: pgSchema.url, secretBox: new SecretBox(randomBytes(32)), maxConnections: 2 });
    try {
      const [a, b] = [await open(pgSchema.schema), await open(pgSchema.schema)];
      const afterCommit: CachedStateChange[][] = [];
      const deadAfterCommit: ChangeFeed = {
        tellOthersAtCommit: (tx, changes) => a.tellOthersAtCommit(tx, changes),
        publish: async (changes) => void afterCommit.push([...changes]),
        subscribe: (listener) => a.subscribe(listener),
        close: () => a.close(),
      };
      const store = publishingChanges(raw, deadAfterCommit);
      await raw.createAccount({ id: ACCOUNT, createDate: at(0) });
      const user = await raw.createUser(newUser('alice'));
      const keyId = 'AKIANOTIFYATCOMMIT01';
      await raw.createAccessKey({ accountId: ACCOUNT, accessKeyId: keyId, owner: { kind: 'user', userId: user.id }, secretAccessKey: 'secret', status: 'Active', createDate: at(0) });
      const onB = recorder(b);
      const keyChange: CachedStateChange = { scope: 'access-key', accountId: ACCOUNT, key: keyId };

      // When a transaction changes the key and rolls back, Then B hears nothing
      await expect(store.transaction(async (tx) => {
        await tx.updateAccessKeyStatus(keyId, 'Inactive');
        throw new Error('rolled back');
      })).rejects.toThrow('rolled back');
      await new Promise((r) => setTimeout(r, 300));
      expect(onB.heard).toEqual([]);

      // When it commits, Then B hears it though A's post-commit step dropped it
      await store.transaction(async (tx) => void (await tx.updateAccessKeyStatus(keyId, 'Inactive')));
      await onB.until((h) => h.length === 1);
      expect(onB.heard).toEqual([keyChange]);

      // When the write is made outside any transaction, Then it is one with its notification too
      await store.updateAccessKeyStatus(keyId, 'Active');
      await onB.until((h) => h.length === 2);
      expect(onB.heard).toEqual([keyChange, keyChange]);
      expect(afterCommit).toEqual([[keyChange], [keyChange]]);
    } finally {
      await raw.close();
      await pgSchema.drop();
    }
  });
});
