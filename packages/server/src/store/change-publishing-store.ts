/**
 * A {@link Store} that tells a {@link ChangeFeed} what its writes changed, once they have
 * committed: the one place every mutation passes (services, console sign-in, workload routes), so
 * no code path can change a user, key or policy without the caches that hold it hearing of it.
 *
 * Each store method that can change cached state has an entry in {@link INVALIDATING_WRITES}
 * naming the change; it reads what the change is keyed by (an ARN, an account) before the write,
 * in the same transaction. Inside `transaction()` changes are collected; where the feed tells other
 * nodes through the database (PostgreSQL), their notifications are written into the transaction
 * before its COMMIT, so they are delivered exactly when it commits (none after a rollback), and
 * this node's subscribers hear them right after the commit. Outside a transaction, such a write
 * runs as a transaction of its own; with an in-process feed (SQLite), it is published right
 * after. Every other write is listed in {@link WRITES_WITHOUT_CACHED_STATE}; a test checks that
 * each write of the store is in one list.
 *
 * @module
 */
import type { CachedStateChange, ChangeFeed } from '../domain/ports/change-feed.js';
import type { EntityRef, Store } from './store.js';

type Changes = CachedStateChange[];
type ChangesOf = (store: Store, args: readonly unknown[]) => Promise<Changes>;

async function entityChange(store: Store, entity: { kind: string; id: string }): Promise<Changes> {
  const row = entity.kind === 'user'
    ? await store.getUserById(entity.id)
    : entity.kind === 'group'
      ? await store.getGroupById(entity.id)
      : entity.kind === 'role'
        ? await store.getRoleById(entity.id)
        : undefined;
  return row ? [{ scope: 'principal', accountId: row.accountId, key: row.arn }] : [];
}

async function accessKeyChange(store: Store, accessKeyId: string): Promise<Changes> {
  const key = await store.getAccessKey(accessKeyId);
  return key ? [{ scope: 'access-key', accountId: key.accountId, key: accessKeyId }] : [];
}

async function policyChange(store: Store, policyId: string): Promise<Changes> {
  const policy = await store.getPolicyById(policyId);
  return policy ? [{ scope: 'policy', accountId: policy.accountId, key: policy.arn }] : [];
}

const byEntity = (kind: 'user' | 'group' | 'role'): ChangesOf => (store, [id]) => entityChange(store, { kind, id: id as string });
const byEntityRef: ChangesOf = (store, [entity]) => entityChange(store, entity as EntityRef);
const byInputEntity: ChangesOf = (store, [input]) => entityChange(store, (input as { entity: EntityRef }).entity);
const byMember: ChangesOf = (store, [input]) => entityChange(store, { kind: 'user', id: (input as { userId: string }).userId });
/** A tag write's change: the entity's principal change, marked as changing nothing but its tags. */
const byTaggedEntityRef: ChangesOf = async (store, [entity]) =>
  (await entityChange(store, entity as EntityRef)).map((c) => ({ ...c, tagsOnly: true as const }));
const byAccount: ChangesOf = async (_store, [accountId]) => [{ scope: 'account', accountId: accountId as string }];

/**
 * The writes that change what the hot path caches (access keys, principals with their policies,
 * tags, groups and boundaries, users read by name, managed policies' default documents, account settings), and how each
 * names its change.
 */
export const INVALIDATING_WRITES: Readonly<Record<string, ChangesOf>> = Object.freeze({
  updateAccessKeyStatus: (store, [id]) => accessKeyChange(store, id as string),
  deleteAccessKey: (store, [id]) => accessKeyChange(store, id as string),
  // Rename, path, boundary, deletion: the entity's ARN (the old one, which is what caches hold).
  updateUser: byEntity('user'),
  deleteUser: byEntity('user'),
  updateGroup: byEntity('group'),
  deleteGroup: byEntity('group'),
  // Role trust, boundary, deletion.
  updateRole: byEntity('role'),
  deleteRole: byEntity('role'),
  addUserToGroup: byMember,
  removeUserFromGroup: byMember,
  // Inline policies, including AWS's session revocation (an inline Deny on aws:TokenIssueTime).
  putInlinePolicy: byInputEntity,
  deleteInlinePolicy: byEntityRef,
  attachPolicy: byInputEntity,
  detachPolicy: byInputEntity,
  // Tags are read by authorization (aws:PrincipalTag), not by the access-key cache.
  putTags: byTaggedEntityRef,
  removeTags: byTaggedEntityRef,
  // GetUser answers PasswordLastUsed from the cache of users read by name (a console sign-in).
  recordUserPasswordUse: byEntity('user'),
  setDefaultPolicyVersion: (store, [policyId]) => policyChange(store, policyId as string),
  createPolicyVersion: (store, [input]) => {
    const { policyId, setAsDefault } = input as { policyId: string; setAsDefault: boolean };
    return setAsDefault ? policyChange(store, policyId) : Promise.resolve([]);
  },
  deletePolicy: (store, [policyId]) => policyChange(store, policyId as string),
  // The password policy (AllowUsersToChangePassword is part of every user's policies) and settings.
  updateAccount: byAccount,
  setRootPasswordHash: byAccount,
  // Root's principal carries the alias (CloudTrail's userName of root).
  createAccountAlias: byAccount,
  deleteAccountAlias: byAccount,
});

/**
 * Writes that change nothing the hot path caches: creations (nothing is cached for what does not
 * exist yet), usage records, the audit trail, and aggregates authorization does not read per call.
 */
export const WRITES_WITHOUT_CACHED_STATE: ReadonlySet<string> = new Set([
  'createAccount', 'setMeta', 'deleteMeta',
  'createUser', 'createGroup', 'createRole', 'createPolicy', 'deletePolicyVersion', 'createAccessKey',
  'recordAccessKeyUse', 'recordRoleUse', 'recordActionUse', 'appendAuditEvents', 'deleteAuditEventsThrough',
  'createLoginProfile', 'updateLoginProfile', 'deleteLoginProfile', 'addPasswordHistory',
  'createMfaDevice', 'enableMfaDevice', 'deactivateMfaDevice', 'deleteMfaDevice', 'consumeMfaStep',
  'createSshPublicKey', 'updateSshPublicKeyStatus', 'deleteSshPublicKey',
  'createSigningCertificate', 'updateSigningCertificateStatus', 'deleteSigningCertificate',
  'createServerCertificate', 'updateServerCertificate', 'deleteServerCertificate',
  'createServiceSpecificCredential', 'updateServiceSpecificCredential', 'deleteServiceSpecificCredential',
  'claimCredentialReportGeneration', 'completeCredentialReport', 'createAccessReportJob',
  'createInstanceProfile', 'deleteInstanceProfile', 'addRoleToInstanceProfile', 'removeRoleFromInstanceProfile',
  'createDeletionTask', 'createOidcProvider', 'updateOidcProvider', 'deleteOidcProvider',
  'createWorkloadRegistration', 'revokeWorkloadRegistration',
  // The change feed's own notifications (`ChangeFeed.tellOthersAtCommit`).
  'notifyOnCommit',
]);

/** What `publishingChanges` does with a failed publish (the write has committed either way). */
export interface ChangePublishingOptions {
  onPublishError?: (error: unknown, changes: readonly CachedStateChange[]) => void;
}

const key = (c: CachedStateChange): string => `${c.scope}\u0000${c.accountId ?? ''}\u0000${'key' in c ? c.key : ''}${'tagsOnly' in c && c.tagsOnly ? '\u0000tags' : ''}`;
const unique = (changes: Changes): Changes => [...new Map(changes.map((c) => [key(c), c])).values()];

/** How `wrap` hands a transaction's changes to the feed. */
interface Publisher {
  /** Whether the other nodes are told inside the transaction (`ChangeFeed.tellOthersAtCommit`). */
  readonly atCommit: boolean;
  /** Inside the transaction, before COMMIT: tells the other nodes (when `atCommit`). */
  enlist(tx: Store, changes: Changes): Promise<void>;
  /** After COMMIT: tells this node (and the other nodes too unless `atCommit`). */
  committed(changes: Changes): Promise<void>;
}

/**
 * Wraps `store` so its committed writes are published on `feed`. When the feed tells other nodes
 * through the database (PostgreSQL), their notifications are written in the transaction that makes
 * the changes, before its COMMIT, so no node can die between a commit and its notification; and a
 * write that changes cached state outside any transaction runs as a transaction of its own for the
 * same reason. This node's subscribers hear the changes right after the commit.
 *
 * @example
 * ```ts
 * const store = publishingChanges(await createStore(config, deps), feed);
 * await store.transaction(async (tx) => tx.updateAccessKeyStatus(id, 'Inactive')); // other nodes told at COMMIT
 * ```
 */
export function publishingChanges(store: Store, feed: ChangeFeed, options: ChangePublishingOptions = {}): Store {
  const atCommit = feed.tellOthersAtCommit !== undefined;
  const publisher: Publisher = {
    atCommit,
    async enlist(tx, changes) {
      if (changes.length > 0) await feed.tellOthersAtCommit?.(tx, unique(changes));
    },
    async committed(changes) {
      if (changes.length === 0) return;
      const list = unique(changes);
      try {
        await feed.publish(list, atCommit ? { othersTold: true } : undefined);
      } catch (err) {
        options.onPublishError?.(err, list);
      }
    },
  };
  return wrap(store, undefined, publisher);
}

/** `pending` is the open transaction's list of changes; `undefined` outside a transaction. */
function wrap(target: Store, pending: Changes | undefined, publisher: Publisher): Store {
  const methods = new Map<PropertyKey, unknown>();
  let self: Store;
  const transaction = async <T>(fn: (tx: Store) => Promise<T>): Promise<T> => {
    // A nested call reuses the open transaction, and so its list of changes.
    if (pending) return fn(self);
    const collected: Changes = [];
    const result = await target.transaction(async (tx) => {
      const value = await fn(wrap(tx, collected, publisher));
      await publisher.enlist(tx, collected);
      return value;
    });
    await publisher.committed(collected);
    return result;
  };
  self = new Proxy(target, {
    get(t, prop) {
      if (prop === 'transaction') return transaction;
      const value = Reflect.get(t, prop);
      if (typeof value !== 'function') return value;
      let method = methods.get(prop);
      if (method) return method;
      const changesOf = typeof prop === 'string' ? INVALIDATING_WRITES[prop] : undefined;
      const bound = (value as (...a: unknown[]) => unknown).bind(t);
      method = changesOf
        ? async (...args: unknown[]) => {
            // Outside a transaction, where other nodes are told at commit: a transaction of its own.
            if (!pending && publisher.atCommit) return transaction((tx) => (tx as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[prop as string]!(...args));
            const changes = await changesOf(t, args);
            const result = await bound(...args);
            if (pending) pending.push(...changes);
            else await publisher.committed(changes);
            return result;
          }
        : bound;
      methods.set(prop, method);
      return method;
    },
  });
  return self;
}
