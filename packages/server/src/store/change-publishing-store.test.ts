import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../crypto/secret-box.js';
import type { CachedStateChange } from '../domain/ports/change-feed.js';
import { INVALIDATING_WRITES, publishingChanges, WRITES_WITHOUT_CACHED_STATE } from './change-publishing-store.js';
import { ACCOUNT, at, newGroup, newPolicy, newUser } from './contract/fixtures.js';
import { LocalChangeFeed } from './local-change-feed.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

const READS = /^(get|list|count|lookup|scan)[A-Z]|^(auditChainHash|transaction|lockForUpdate|close|constructor)$/;

describe('publishingChanges', () => {
  let raw: SqliteStore;
  let store: Store;
  let heard: CachedStateChange[];
  const feed = new LocalChangeFeed();

  beforeEach(async () => {
    raw = await SqliteStore.open({ filename: ':memory:', secretBox: new SecretBox(randomBytes(32)) });
    await raw.createAccount({ id: ACCOUNT, createDate: at(0) });
    heard = [];
    feed.subscribe((c) => heard.push(c));
    store = publishingChanges(raw, feed);
  });
  afterEach(async () => {
    await feed.close();
    await raw.close();
  });

  it('knows for every write of the store whether it changes cached state', () => {
    // A new write method must be added to one of the two lists, or the caches could miss it.
    const methods = new Set<string>();
    for (let p = Object.getPrototypeOf(raw); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const name of Object.getOwnPropertyNames(p)) if (typeof (raw as unknown as Record<string, unknown>)[name] === 'function') methods.add(name);
    }
    const unclassified = [...methods].filter((m) => !READS.test(m) && !(m in INVALIDATING_WRITES) && !WRITES_WITHOUT_CACHED_STATE.has(m) && !m.startsWith('#'));
    expect(unclassified).toEqual([]);
  });

  it('publishes the changes of a transaction once it commits, keyed by ARN', async () => {
    const user = await raw.createUser(newUser('alice'));
    const group = await raw.createGroup(newGroup('devs'));
    const policy = await raw.createPolicy(newPolicy('p'));
    await store.transaction(async (tx) => {
      await tx.putTags({ kind: 'user', id: user.id }, [{ key: 'team', value: 'a' }]);
      await tx.addUserToGroup({ groupId: group.id, userId: user.id });
      await tx.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'group', id: group.id }, policyArn: policy.arn });
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual([
      { scope: 'principal', accountId: ACCOUNT, key: user.arn, tagsOnly: true },
      { scope: 'principal', accountId: ACCOUNT, key: user.arn },
      { scope: 'principal', accountId: ACCOUNT, key: group.arn },
    ]);
  });

  it('publishes nothing when the transaction rolls back', async () => {
    const user = await raw.createUser(newUser('bob'));
    await expect(store.transaction(async (tx) => {
      await tx.putTags({ kind: 'user', id: user.id }, [{ key: 'team', value: 'a' }]);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(heard).toEqual([]);
  });

  it.each([
    ['a key status', async (s: Store, ids: Ids) => void (await s.updateAccessKeyStatus(ids.key, 'Inactive')), (ids: Ids) => ({ scope: 'access-key', accountId: ACCOUNT, key: ids.key })],
    ['a default version', async (s: Store, ids: Ids) => void (await s.createPolicyVersion({ policyId: ids.policyId, document: '{"Version":"2012-10-17","Statement":[]}', setAsDefault: true, createDate: at(1) })), (ids: Ids) => ({ scope: 'policy', accountId: ACCOUNT, key: ids.policyArn })],
    ['the password policy', async (s: Store) => void (await s.updateAccount(ACCOUNT, { passwordPolicyJson: '{}' })), () => ({ scope: 'account', accountId: ACCOUNT })],
    ['a rename (the old ARN)', async (s: Store, ids: Ids) => void (await s.updateUser(ids.userId, { name: 'carol2', arn: `arn:aws:iam::${ACCOUNT}:user/carol2` })), (ids: Ids) => ({ scope: 'principal', accountId: ACCOUNT, key: ids.userArn })],
    ['a password use (GetUser answers it)', async (s: Store, ids: Ids) => void (await s.recordUserPasswordUse(ids.userId, at(5))), (ids: Ids) => ({ scope: 'principal', accountId: ACCOUNT, key: ids.userArn })],
  ])('publishes %s changed outside a transaction at once', async (_name, write, expected) => {
    const user = await raw.createUser(newUser('carol'));
    const policy = await raw.createPolicy(newPolicy('q'));
    const key = 'AKIACHANGEPUBLISH001';
    await raw.createAccessKey({ accountId: ACCOUNT, accessKeyId: key, owner: { kind: 'user', userId: user.id }, secretAccessKey: 'secret', status: 'Active', createDate: at(0) });
    const ids = { key, policyId: policy.id, policyArn: policy.arn, userId: user.id, userArn: user.arn };
    await write(store, ids);
    expect(heard).toEqual([expected(ids)]);
  });

  it('publishes nothing for writes that change no cached state', async () => {
    await store.createUser(newUser('dave'));
    expect(heard).toEqual([]);
  });
});

type Ids = { key: string; policyId: string; policyArn: string; userId: string; userArn: string };
