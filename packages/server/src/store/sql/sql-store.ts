import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { GENESIS_HASH, chainHash } from '../../audit/chain-hash.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type {
  AccessKeyOwner,
  AccessKeyRow,
  AccessKeyStatus,
  AccessKeyUse,
  AccessKeyWithSecret,
  AccountRow,
  AccountUsage,
  AuditCheckpoint,
  AuditEventRow,
  AuditLookupAttribute,
  EntityRef,
  GroupRow,
  InlinePolicyRow,
  LockTarget,
  LoginProfileRow,
  ManagedPolicyRow,
  NewAuditEvent,
  NewRole,
  NewUser,
  Page,
  PageRequest,
  PathPageRequest,
  PolicyAttachmentRow,
  PolicyUsage,
  PolicyUsageFilter,
  PolicyVersionRow,
  PrincipalEntityKind,
  RoleRow,
  RoleUse,
  Store,
  Tag,
  TagTarget,
  UserRow,
} from '../store.js';
import { decodeMarker, encodeMarker, pageSize, toPage } from './markers.js';
import type { Database } from './schema.js';

/** What a dialect adds to the shared implementation: capability flags and locking. @internal */
export interface SqlDialectHooks {
  /** Which database. */
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Whether `SELECT … FOR UPDATE` exists. SQLite has no row locks and needs none: its transactions
   * run one at a time (`BEGIN IMMEDIATE` on a single connection).
   */
  readonly supportsRowLocks: boolean;
  /** Serializes audit appends until `trx` commits (PostgreSQL: an advisory transaction lock). */
  lockAuditChain(trx: Kysely<Database>): Promise<void>;
  /**
   * Run inside the transaction of an audit lookup, before its queries. Every lookup shape has an
   * index whose order is the answer's order, so walking it backwards and stopping after `limit`
   * rows is always the best plan; PostgreSQL's planner may pick a bitmap scan plus sort when its
   * statistics lag behind a bulk insert (seconds of work over a million rows), so it is told not to.
   * Absent (SQLite): the lookup runs without a transaction. A lookup inside a caller's transaction
   * leaves those planner settings in force until that transaction ends (slower plans, same results).
   */
  prepareAuditLookup?(trx: Kysely<Database>): Promise<void>;
}

/** Everything `SqlStore` needs. @internal */
export interface SqlStoreConfig {
  db: Kysely<Database>;
  hooks: SqlDialectHooks;
  /** Encrypts secret access keys before they reach the database. */
  secretBox: SecretBox;
  /** True for the `tx` handed to `transaction()` callbacks. */
  inTransaction?: boolean;
}

const CHECKPOINT_META_KEY = 'audit.checkpoint';
const INSERT_CHUNK = 200;
const IN_CHUNK = 500;

type UsersTable = Database['users'];
type GroupsTable = Database['groups'];
type RolesTable = Database['roles'];
type PolicyRecord = Database['managed_policies'] & { attachment_count: number | string; boundary_count: number | string };

const ENTITY_TABLE = { user: 'users', group: 'groups', role: 'roles' } as const;
const ENTITY_FK = { user: 'user_id', group: 'group_id', role: 'role_id' } as const;
const LOCK_TABLE = { account: 'accounts', user: 'users', group: 'groups', role: 'roles', policy: 'managed_policies' } as const;
const TAG_FK = { user: 'user_id', role: 'role_id', policy: 'policy_id' } as const;
const ENTITY_KIND_ORDER: Record<PrincipalEntityKind, number> = { group: 0, role: 1, user: 2 };

/**
 * The one `Store` implementation, on Kysely, shared by SQLite and PostgreSQL. Dialects construct
 * it with their `Kysely` instance (whose driver already translates errors) and their hooks.
 *
 * @internal
 */
export class SqlStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database>;
  readonly #hooks: SqlDialectHooks;
  readonly #box: SecretBox;
  readonly #inTx: boolean;
  #closed = false;

  constructor(config: SqlStoreConfig) {
    this.#db = config.db;
    this.#hooks = config.hooks;
    this.#box = config.secretBox;
    this.#inTx = config.inTransaction ?? false;
    this.dialect = config.hooks.dialect;
  }

  // ------------------------------------------------------------------------------------------
  // Transactions and locks
  // ------------------------------------------------------------------------------------------

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#inTx) return fn(this);
    return this.#db.transaction().execute((trx) =>
      fn(new SqlStore({ db: trx, hooks: this.#hooks, secretBox: this.#box, inTransaction: true })),
    );
  }

  async lockForUpdate(target: LockTarget): Promise<boolean> {
    if (!this.#inTx) throw new Error('lockForUpdate() needs a transaction: call it on the `tx` of store.transaction()');
    return this.#lockRow(LOCK_TABLE[target.kind], target.id);
  }

  async close(): Promise<void> {
    if (this.#inTx || this.#closed) return;
    this.#closed = true;
    // Queue behind work already waiting for a connection (SQLite's single connection is handed
    // out in turn), so a transaction in flight at shutdown commits instead of being cut off.
    await sql`select 1`.execute(this.#db).catch(() => undefined);
    await this.#db.destroy();
  }

  /** Runs `fn` in this transaction, or in a new one. */
  #atomic<T>(fn: (tx: SqlStore) => Promise<T>): Promise<T> {
    return this.transaction((tx) => fn(tx as SqlStore));
  }

  /** Locks one row by primary key `id` until commit (a plain existence check where rows cannot be locked). */
  async #lockRow(table: 'accounts' | 'users' | 'groups' | 'roles' | 'managed_policies', id: string): Promise<boolean> {
    let query = this.#db.selectFrom(table).select('id').where('id', '=', id);
    if (this.#hooks.supportsRowLocks) query = query.forUpdate();
    return (await query.executeTakeFirst()) !== undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Accounts and meta
  // ------------------------------------------------------------------------------------------

  async createAccount(input: { id: string; createDate: Date; settingsJson?: string }): Promise<AccountRow> {
    const row: Database['accounts'] = { id: input.id, create_date: ms(input.createDate), password_policy: null, settings: input.settingsJson ?? '{}' };
    await this.#db.insertInto('accounts').values(row).execute();
    return toAccount(row);
  }

  async getAccount(accountId: string): Promise<AccountRow | undefined> {
    const row = await this.#db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
    return row && toAccount(row);
  }

  async listAccounts(): Promise<AccountRow[]> {
    return (await this.#db.selectFrom('accounts').selectAll().orderBy('id').execute()).map(toAccount);
  }

  async updateAccount(accountId: string, patch: { passwordPolicyJson?: string | null; settingsJson?: string }): Promise<AccountRow | undefined> {
    const set: Partial<Database['accounts']> = {};
    if (patch.passwordPolicyJson !== undefined) set.password_policy = patch.passwordPolicyJson;
    if (patch.settingsJson !== undefined) set.settings = patch.settingsJson;
    if (Object.keys(set).length > 0) {
      const result = await this.#db.updateTable('accounts').set(set).where('id', '=', accountId).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return undefined;
    }
    return this.getAccount(accountId);
  }

  async createAccountAlias(accountId: string, alias: string, createDate: Date): Promise<void> {
    await this.#db.insertInto('account_aliases').values({ alias: alias.toLowerCase(), account_id: accountId, create_date: ms(createDate) }).execute();
  }

  async deleteAccountAlias(accountId: string, alias: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('account_aliases').where('account_id', '=', accountId).where('alias', '=', alias.toLowerCase()).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listAccountAliases(accountId: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('account_aliases').select('alias').where('account_id', '=', accountId).orderBy('alias').execute();
    return rows.map((r) => r.alias);
  }

  async getAccountIdByAlias(alias: string): Promise<string | undefined> {
    const row = await this.#db.selectFrom('account_aliases').select('account_id').where('alias', '=', alias.toLowerCase()).executeTakeFirst();
    return row?.account_id;
  }

  async getAccountUsage(accountId: string): Promise<AccountUsage> {
    const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) =>
      Number((await query.executeTakeFirstOrThrow()).n);
    const db = this.#db;
    const [users, groups, roles, policies, policyVersions, policyVersionsInUse, attachedPolicies, rootAccessKeys, loginProfiles] = await Promise.all([
      count(db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId)),
      count(db.selectFrom('groups').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId)),
      count(db.selectFrom('roles').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId)),
      count(db.selectFrom('managed_policies').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId)),
      count(db.selectFrom('policy_versions').innerJoin('managed_policies', 'managed_policies.id', 'policy_versions.policy_id')
        .select((eb) => eb.fn.countAll().as('n')).where('managed_policies.account_id', '=', accountId)),
      count(db.selectFrom('policy_versions').select((eb) => eb.fn.countAll().as('n'))
        .where('policy_id', 'in', db.selectFrom('policy_attachments').select('policy_id').where('account_id', '=', accountId).where('policy_id', 'is not', null))),
      count(db.selectFrom('policy_attachments').select((eb) => eb.fn.count('policy_arn').distinct().as('n')).where('account_id', '=', accountId)),
      count(db.selectFrom('access_keys').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).where('owner_kind', '=', 'root')),
      count(db.selectFrom('login_profiles').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId)),
    ]);
    return { users, groups, roles, policies, policyVersions, policyVersionsInUse, attachedPolicies, rootAccessKeys, loginProfiles };
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.#db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.#db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }

  async deleteMeta(key: string): Promise<boolean> {
    return (await this.#db.deleteFrom('meta').where('key', '=', key).executeTakeFirst()).numDeletedRows > 0n;
  }

  // ------------------------------------------------------------------------------------------
  // Users
  // ------------------------------------------------------------------------------------------

  async createUser(input: NewUser): Promise<UserRow> {
    const row: UsersTable = {
      id: input.id,
      account_id: input.accountId,
      name: input.name,
      name_lower: input.name.toLowerCase(),
      path: input.path,
      arn: input.arn,
      create_date: ms(input.createDate),
      permissions_boundary_arn: input.permissionsBoundaryArn ?? null,
      password_last_used: null,
    };
    await this.#db.insertInto('users').values(row).execute();
    return toUser(row);
  }

  async getUserById(id: string): Promise<UserRow | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async getUserByName(accountId: string, name: string): Promise<UserRow | undefined> {
    const row = await this.#db.selectFrom('users').selectAll()
      .where('account_id', '=', accountId).where('name_lower', '=', name.toLowerCase()).executeTakeFirst();
    return row && toUser(row);
  }

  async listUsers(req: { accountId: string } & PathPageRequest): Promise<Page<UserRow>> {
    const limit = pageSize(req.maxItems);
    let query = this.#db.selectFrom('users').selectAll().where('account_id', '=', req.accountId);
    if (hasPrefix(req.pathPrefix)) query = query.where(pathStartsWith('path', req.pathPrefix));
    if (req.marker) query = query.where(after(['name_lower', 'id'], decodeMarker('users', req.marker, ['string', 'string'])));
    const rows = await query.orderBy('name_lower').orderBy('id').limit(limit + 1).execute();
    return toPage(rows, limit, 'users', (r) => [r.name_lower, r.id], toUser);
  }

  async updateUser(id: string, patch: { name?: string; path?: string; arn?: string; permissionsBoundaryArn?: string | null }): Promise<UserRow | undefined> {
    const set: Partial<UsersTable> = {};
    if (patch.name !== undefined) Object.assign(set, { name: patch.name, name_lower: patch.name.toLowerCase() });
    if (patch.path !== undefined) set.path = patch.path;
    if (patch.arn !== undefined) set.arn = patch.arn;
    if (patch.permissionsBoundaryArn !== undefined) set.permissions_boundary_arn = patch.permissionsBoundaryArn;
    if (Object.keys(set).length > 0) {
      const result = await this.#db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return undefined;
    }
    return this.getUserById(id);
  }

  async deleteUser(id: string): Promise<boolean> {
    return (await this.#db.deleteFrom('users').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
  }

  async recordUserPasswordUse(userId: string, usedAt: Date): Promise<void> {
    const at = ms(usedAt);
    await this.#db.updateTable('users').set({ password_last_used: at }).where('id', '=', userId)
      .where((eb) => eb.or([eb('password_last_used', 'is', null), eb('password_last_used', '<', at)])).execute();
  }

  // ------------------------------------------------------------------------------------------
  // Groups
  // ------------------------------------------------------------------------------------------

  async createGroup(input: GroupRow): Promise<GroupRow> {
    const row: GroupsTable = {
      id: input.id,
      account_id: input.accountId,
      name: input.name,
      name_lower: input.name.toLowerCase(),
      path: input.path,
      arn: input.arn,
      create_date: ms(input.createDate),
    };
    await this.#db.insertInto('groups').values(row).execute();
    return toGroup(row);
  }

  async getGroupById(id: string): Promise<GroupRow | undefined> {
    const row = await this.#db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toGroup(row);
  }

  async getGroupByName(accountId: string, name: string): Promise<GroupRow | undefined> {
    const row = await this.#db.selectFrom('groups').selectAll()
      .where('account_id', '=', accountId).where('name_lower', '=', name.toLowerCase()).executeTakeFirst();
    return row && toGroup(row);
  }

  async listGroups(req: { accountId: string } & PathPageRequest): Promise<Page<GroupRow>> {
    const limit = pageSize(req.maxItems);
    let query = this.#db.selectFrom('groups').selectAll().where('account_id', '=', req.accountId);
    if (hasPrefix(req.pathPrefix)) query = query.where(pathStartsWith('path', req.pathPrefix));
    if (req.marker) query = query.where(after(['name_lower', 'id'], decodeMarker('groups', req.marker, ['string', 'string'])));
    const rows = await query.orderBy('name_lower').orderBy('id').limit(limit + 1).execute();
    return toPage(rows, limit, 'groups', (r) => [r.name_lower, r.id], toGroup);
  }

  async updateGroup(id: string, patch: { name?: string; path?: string; arn?: string }): Promise<GroupRow | undefined> {
    const set: Partial<GroupsTable> = {};
    if (patch.name !== undefined) Object.assign(set, { name: patch.name, name_lower: patch.name.toLowerCase() });
    if (patch.path !== undefined) set.path = patch.path;
    if (patch.arn !== undefined) set.arn = patch.arn;
    if (Object.keys(set).length > 0) {
      const result = await this.#db.updateTable('groups').set(set).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return undefined;
    }
    return this.getGroupById(id);
  }

  async deleteGroup(id: string): Promise<boolean> {
    return (await this.#db.deleteFrom('groups').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
  }

  async addUserToGroup(input: { groupId: string; userId: string; maxGroupsPerUser?: number }): Promise<boolean> {
    return this.#atomic(async (tx) => {
      const db = tx.#db;
      const group = await db.selectFrom('groups').select('account_id').where('id', '=', input.groupId).executeTakeFirst();
      if (!group) throw new StoreReferenceError('group_members.group_id');
      if (!(await tx.#lockRow('users', input.userId))) throw new StoreReferenceError('group_members.user_id');
      const existing = await db.selectFrom('group_members').select('user_id')
        .where('group_id', '=', input.groupId).where('user_id', '=', input.userId).executeTakeFirst();
      if (existing) return false;
      if (input.maxGroupsPerUser !== undefined) {
        const n = await countWhere(db.selectFrom('group_members').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', input.userId));
        if (n >= input.maxGroupsPerUser) throw new StoreLimitError('groupsPerUser', input.maxGroupsPerUser);
      }
      await db.insertInto('group_members').values({ group_id: input.groupId, user_id: input.userId, account_id: group.account_id }).execute();
      return true;
    });
  }

  async removeUserFromGroup(input: { groupId: string; userId: string }): Promise<boolean> {
    const result = await this.#db.deleteFrom('group_members').where('group_id', '=', input.groupId).where('user_id', '=', input.userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listGroupsForUser(userId: string, page: PageRequest = {}): Promise<Page<GroupRow>> {
    const limit = pageSize(page.maxItems);
    let query = this.#db.selectFrom('group_members').innerJoin('groups', 'groups.id', 'group_members.group_id')
      .selectAll('groups').where('group_members.user_id', '=', userId);
    if (page.marker) query = query.where(after(['groups.name_lower', 'groups.id'], decodeMarker('user-groups', page.marker, ['string', 'string'])));
    const rows = await query.orderBy('groups.name_lower').orderBy('groups.id').limit(limit + 1).execute();
    return toPage(rows, limit, 'user-groups', (r) => [r.name_lower, r.id], toGroup);
  }

  async listAllGroupsForUser(userId: string): Promise<GroupRow[]> {
    const rows = await this.#db.selectFrom('group_members').innerJoin('groups', 'groups.id', 'group_members.group_id')
      .selectAll('groups').where('group_members.user_id', '=', userId).orderBy('groups.name_lower').orderBy('groups.id').execute();
    return rows.map(toGroup);
  }

  async listGroupMembers(groupId: string, page: PageRequest = {}): Promise<Page<UserRow>> {
    const limit = pageSize(page.maxItems);
    let query = this.#db.selectFrom('group_members').innerJoin('users', 'users.id', 'group_members.user_id')
      .selectAll('users').where('group_members.group_id', '=', groupId);
    if (page.marker) query = query.where(after(['users.name_lower', 'users.id'], decodeMarker('group-members', page.marker, ['string', 'string'])));
    const rows = await query.orderBy('users.name_lower').orderBy('users.id').limit(limit + 1).execute();
    return toPage(rows, limit, 'group-members', (r) => [r.name_lower, r.id], toUser);
  }

  // ------------------------------------------------------------------------------------------
  // Roles
  // ------------------------------------------------------------------------------------------

  async createRole(input: NewRole): Promise<RoleRow> {
    const row: RolesTable = {
      id: input.id,
      account_id: input.accountId,
      name: input.name,
      name_lower: input.name.toLowerCase(),
      path: input.path,
      arn: input.arn,
      create_date: ms(input.createDate),
      assume_role_policy_document: input.assumeRolePolicyDocument,
      description: input.description ?? null,
      max_session_duration: input.maxSessionDuration,
      permissions_boundary_arn: input.permissionsBoundaryArn ?? null,
      last_used_date: null,
      last_used_region: null,
    };
    await this.#db.insertInto('roles').values(row).execute();
    return toRole(row);
  }

  async getRoleById(id: string): Promise<RoleRow | undefined> {
    const row = await this.#db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRole(row);
  }

  async getRoleByName(accountId: string, name: string): Promise<RoleRow | undefined> {
    const row = await this.#db.selectFrom('roles').selectAll()
      .where('account_id', '=', accountId).where('name_lower', '=', name.toLowerCase()).executeTakeFirst();
    return row && toRole(row);
  }

  async listRoles(req: { accountId: string } & PathPageRequest): Promise<Page<RoleRow>> {
    const limit = pageSize(req.maxItems);
    let query = this.#db.selectFrom('roles').selectAll().where('account_id', '=', req.accountId);
    if (hasPrefix(req.pathPrefix)) query = query.where(pathStartsWith('path', req.pathPrefix));
    if (req.marker) query = query.where(after(['name_lower', 'id'], decodeMarker('roles', req.marker, ['string', 'string'])));
    const rows = await query.orderBy('name_lower').orderBy('id').limit(limit + 1).execute();
    return toPage(rows, limit, 'roles', (r) => [r.name_lower, r.id], toRole);
  }

  async updateRole(id: string, patch: {
    description?: string | null;
    maxSessionDuration?: number;
    assumeRolePolicyDocument?: string;
    permissionsBoundaryArn?: string | null;
  }): Promise<RoleRow | undefined> {
    const set: Partial<RolesTable> = {};
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.maxSessionDuration !== undefined) set.max_session_duration = patch.maxSessionDuration;
    if (patch.assumeRolePolicyDocument !== undefined) set.assume_role_policy_document = patch.assumeRolePolicyDocument;
    if (patch.permissionsBoundaryArn !== undefined) set.permissions_boundary_arn = patch.permissionsBoundaryArn;
    if (Object.keys(set).length > 0) {
      const result = await this.#db.updateTable('roles').set(set).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return undefined;
    }
    return this.getRoleById(id);
  }

  async deleteRole(id: string): Promise<boolean> {
    return (await this.#db.deleteFrom('roles').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
  }

  async recordRoleUse(batch: RoleUse[]): Promise<void> {
    const latest = latestBy(batch, (u) => u.roleId, (u) => u.usedAt);
    if (latest.length === 0) return;
    await this.#atomic(async (tx) => {
      for (const use of latest) {
        const at = ms(use.usedAt);
        await tx.#db.updateTable('roles').set({ last_used_date: at, last_used_region: use.region }).where('id', '=', use.roleId)
          .where((eb) => eb.or([eb('last_used_date', 'is', null), eb('last_used_date', '<', at)])).execute();
      }
    });
  }

  // ------------------------------------------------------------------------------------------
  // Managed policies
  // ------------------------------------------------------------------------------------------

  async createPolicy(input: {
    accountId: string;
    id: string;
    name: string;
    path: string;
    arn: string;
    description?: string;
    document: string;
    createDate: Date;
  }): Promise<ManagedPolicyRow> {
    const at = ms(input.createDate);
    await this.#atomic(async (tx) => {
      await tx.#db.insertInto('managed_policies').values({
        id: input.id,
        account_id: input.accountId,
        name: input.name,
        name_lower: input.name.toLowerCase(),
        path: input.path,
        arn: input.arn,
        description: input.description ?? null,
        default_version_id: 'v1',
        last_version_number: 1,
        create_date: at,
        update_date: at,
      }).execute();
      await tx.#db.insertInto('policy_versions').values({ policy_id: input.id, version_id: 'v1', version_number: 1, document: input.document, create_date: at }).execute();
    });
    return {
      accountId: input.accountId,
      id: input.id,
      name: input.name,
      path: input.path,
      arn: input.arn,
      ...(input.description !== undefined ? { description: input.description } : {}),
      defaultVersionId: 'v1',
      createDate: new Date(at),
      updateDate: new Date(at),
      attachmentCount: 0,
      permissionsBoundaryUsageCount: 0,
    };
  }

  /** Policies with their computed usage counts. */
  #policies() {
    return this.#db.selectFrom('managed_policies as mp').selectAll('mp').select([
      sql<number>`(select count(*) from policy_attachments pa where pa.policy_id = mp.id)`.as('attachment_count'),
      sql<number>`((select count(*) from users u where u.account_id = mp.account_id and u.permissions_boundary_arn = mp.arn)
        + (select count(*) from roles r where r.account_id = mp.account_id and r.permissions_boundary_arn = mp.arn))`.as('boundary_count'),
    ]);
  }

  async getPolicyByArn(arn: string): Promise<ManagedPolicyRow | undefined> {
    const row = await this.#policies().where('mp.arn', '=', arn).executeTakeFirst();
    return row && toPolicy(row);
  }

  async getPolicyById(id: string): Promise<ManagedPolicyRow | undefined> {
    const row = await this.#policies().where('mp.id', '=', id).executeTakeFirst();
    return row && toPolicy(row);
  }

  async listPolicies(req: { accountId: string; onlyAttached?: boolean; usageFilter?: PolicyUsageFilter } & PathPageRequest): Promise<Page<ManagedPolicyRow>> {
    const limit = pageSize(req.maxItems);
    let query = this.#policies().where('mp.account_id', '=', req.accountId);
    if (hasPrefix(req.pathPrefix)) query = query.where(pathStartsWith('mp.path', req.pathPrefix));
    const attached = sql<SqlBool>`exists (select 1 from policy_attachments pa where pa.policy_id = mp.id)`;
    if (req.onlyAttached || req.usageFilter === 'PermissionsPolicy') query = query.where(attached);
    if (req.usageFilter === 'PermissionsBoundary') {
      query = query.where(sql<SqlBool>`(exists (select 1 from users u where u.account_id = mp.account_id and u.permissions_boundary_arn = mp.arn)
        or exists (select 1 from roles r where r.account_id = mp.account_id and r.permissions_boundary_arn = mp.arn))`);
    }
    if (req.marker) query = query.where(after(['mp.name_lower', 'mp.id'], decodeMarker('policies', req.marker, ['string', 'string'])));
    const rows = await query.orderBy('mp.name_lower').orderBy('mp.id').limit(limit + 1).execute();
    return toPage(rows, limit, 'policies', (r) => [r.name_lower, r.id], toPolicy);
  }

  async deletePolicy(policyId: string): Promise<boolean> {
    return (await this.#db.deleteFrom('managed_policies').where('id', '=', policyId).executeTakeFirst()).numDeletedRows > 0n;
  }

  async createPolicyVersion(input: { policyId: string; document: string; setAsDefault: boolean; createDate: Date; maxVersions?: number }): Promise<PolicyVersionRow> {
    const maxVersions = input.maxVersions ?? 5;
    return this.#atomic(async (tx) => {
      const db = tx.#db;
      if (!(await tx.#lockRow('managed_policies', input.policyId))) throw new StoreReferenceError('policy_versions.policy_id');
      const policy = await db.selectFrom('managed_policies').select('last_version_number').where('id', '=', input.policyId).executeTakeFirstOrThrow();
      const n = await countWhere(db.selectFrom('policy_versions').select((eb) => eb.fn.countAll().as('n')).where('policy_id', '=', input.policyId));
      if (n >= maxVersions) throw new StoreLimitError('policyVersions', maxVersions);
      const number = Number(policy.last_version_number) + 1;
      const versionId = `v${number}`;
      const at = ms(input.createDate);
      await db.insertInto('policy_versions').values({ policy_id: input.policyId, version_id: versionId, version_number: number, document: input.document, create_date: at }).execute();
      await db.updateTable('managed_policies')
        .set({ last_version_number: number, update_date: at, ...(input.setAsDefault ? { default_version_id: versionId } : {}) })
        .where('id', '=', input.policyId).execute();
      return { policyId: input.policyId, versionId, document: input.document, isDefaultVersion: input.setAsDefault, createDate: new Date(at) };
    });
  }

  async getPolicyVersion(policyId: string, versionId: string): Promise<PolicyVersionRow | undefined> {
    const row = await this.#db.selectFrom('policy_versions as pv').innerJoin('managed_policies as mp', 'mp.id', 'pv.policy_id')
      .selectAll('pv').select('mp.default_version_id')
      .where('pv.policy_id', '=', policyId).where('pv.version_id', '=', versionId).executeTakeFirst();
    return row && toPolicyVersion(row);
  }

  async listPolicyVersions(policyId: string, page: PageRequest = {}): Promise<Page<PolicyVersionRow>> {
    const limit = pageSize(page.maxItems);
    let query = this.#db.selectFrom('policy_versions as pv').innerJoin('managed_policies as mp', 'mp.id', 'pv.policy_id')
      .selectAll('pv').select('mp.default_version_id').where('pv.policy_id', '=', policyId);
    if (page.marker) {
      const [number] = decodeMarker('policy-versions', page.marker, ['number']);
      query = query.where('pv.version_number', '<', number as number);
    }
    const rows = await query.orderBy('pv.version_number', 'desc').limit(limit + 1).execute();
    return toPage(rows, limit, 'policy-versions', (r) => [Number(r.version_number)], toPolicyVersion);
  }

  async deletePolicyVersion(policyId: string, versionId: string): Promise<boolean> {
    return this.#atomic(async (tx) => {
      const db = tx.#db;
      if (!(await tx.#lockRow('managed_policies', policyId))) return false;
      const policy = await db.selectFrom('managed_policies').select('default_version_id').where('id', '=', policyId).executeTakeFirstOrThrow();
      if (policy.default_version_id === versionId) return false;
      const result = await db.deleteFrom('policy_versions').where('policy_id', '=', policyId).where('version_id', '=', versionId).executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      const newest = await db.selectFrom('policy_versions').select((eb) => eb.fn.max('create_date').as('at')).where('policy_id', '=', policyId).executeTakeFirstOrThrow();
      if (newest.at !== null) await db.updateTable('managed_policies').set({ update_date: Number(newest.at) }).where('id', '=', policyId).execute();
      return true;
    });
  }

  async setDefaultPolicyVersion(policyId: string, versionId: string): Promise<boolean> {
    return this.#atomic(async (tx) => {
      const exists = await tx.#db.selectFrom('policy_versions').select('version_id')
        .where('policy_id', '=', policyId).where('version_id', '=', versionId).executeTakeFirst();
      if (!exists) return false;
      await tx.#db.updateTable('managed_policies').set({ default_version_id: versionId }).where('id', '=', policyId).execute();
      return true;
    });
  }

  async getDefaultPolicyDocuments(arns: string[]): Promise<Map<string, { policyId: string; versionId: string; document: string }>> {
    const result = new Map<string, { policyId: string; versionId: string; document: string }>();
    for (const chunk of chunks(unique(arns), IN_CHUNK)) {
      const rows = await this.#db.selectFrom('managed_policies as mp')
        .innerJoin('policy_versions as pv', (join) => join.onRef('pv.policy_id', '=', 'mp.id').onRef('pv.version_id', '=', 'mp.default_version_id'))
        .select(['mp.arn', 'mp.id', 'pv.version_id', 'pv.document']).where('mp.arn', 'in', chunk).execute();
      for (const row of rows) result.set(row.arn, { policyId: row.id, versionId: row.version_id, document: row.document });
    }
    return result;
  }

  async attachPolicy(input: { accountId: string; entity: EntityRef; policyArn: string; maxAttached?: number }): Promise<boolean> {
    return this.#atomic(async (tx) => {
      const db = tx.#db;
      if (!(await tx.#lockRow(ENTITY_TABLE[input.entity.kind], input.entity.id))) throw new StoreReferenceError(`policy_attachments.${ENTITY_FK[input.entity.kind]}`);
      const existing = await db.selectFrom('policy_attachments').select('policy_arn')
        .where('entity_id', '=', input.entity.id).where('policy_arn', '=', input.policyArn).executeTakeFirst();
      if (existing) return false;
      if (input.maxAttached !== undefined) {
        const n = await countWhere(db.selectFrom('policy_attachments').select((eb) => eb.fn.countAll().as('n')).where('entity_id', '=', input.entity.id));
        if (n >= input.maxAttached) throw new StoreLimitError('attachedPoliciesPerEntity', input.maxAttached);
      }
      const policy = await db.selectFrom('managed_policies').select('id').where('arn', '=', input.policyArn).executeTakeFirst();
      const { name, path } = policyNameAndPath(input.policyArn);
      await db.insertInto('policy_attachments').values({
        account_id: input.accountId,
        entity_kind: input.entity.kind,
        entity_id: input.entity.id,
        user_id: input.entity.kind === 'user' ? input.entity.id : null,
        group_id: input.entity.kind === 'group' ? input.entity.id : null,
        role_id: input.entity.kind === 'role' ? input.entity.id : null,
        policy_arn: input.policyArn,
        policy_id: policy?.id ?? null,
        policy_name: name,
        policy_path: path,
      }).execute();
      return true;
    });
  }

  async detachPolicy(input: { entity: EntityRef; policyArn: string }): Promise<boolean> {
    const result = await this.#db.deleteFrom('policy_attachments')
      .where('entity_id', '=', input.entity.id).where('policy_arn', '=', input.policyArn).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listAttachedPolicies(entity: EntityRef, page: PathPageRequest = {}): Promise<Page<PolicyAttachmentRow>> {
    const limit = pageSize(page.maxItems);
    let query = this.#db.selectFrom('policy_attachments').selectAll().where('entity_id', '=', entity.id);
    if (hasPrefix(page.pathPrefix)) query = query.where(pathStartsWith('policy_path', page.pathPrefix));
    if (page.marker) query = query.where(after(['policy_name', 'policy_arn'], decodeMarker('attached', page.marker, ['string', 'string'])));
    const rows = await query.orderBy('policy_name').orderBy('policy_arn').limit(limit + 1).execute();
    return toPage(rows, limit, 'attached', (r) => [r.policy_name, r.policy_arn], toAttachment);
  }

  async listAllAttachedPolicies(entities: EntityRef[]): Promise<PolicyAttachmentRow[]> {
    const result: PolicyAttachmentRow[] = [];
    for (const chunk of chunks(unique(entities.map((e) => e.id)), IN_CHUNK)) {
      const rows = await this.#db.selectFrom('policy_attachments').selectAll().where('entity_id', 'in', chunk)
        .orderBy('entity_id').orderBy('policy_name').orderBy('policy_arn').execute();
      result.push(...rows.map(toAttachment));
    }
    return result;
  }

  async listEntitiesForPolicy(req: {
    accountId: string;
    policyArn: string;
    entityFilter?: PrincipalEntityKind;
    usageFilter?: PolicyUsageFilter;
  } & PathPageRequest): Promise<Page<{ kind: PrincipalEntityKind; id: string; name: string; path: string }>> {
    type Hit = { kind: PrincipalEntityKind; id: string; name: string; name_lower: string; path: string };
    const kinds: PrincipalEntityKind[] = req.entityFilter ? [req.entityFilter] : ['group', 'role', 'user'];
    const hits = new Map<string, Hit>();
    // The entity table varies per kind; the query shape does not, so this one uses untyped tables.
    const db = this.#db as unknown as Kysely<any>;
    for (const kind of kinds) {
      const table = ENTITY_TABLE[kind];
      const columns = ['e.id', 'e.name', 'e.name_lower', 'e.path'] as const;
      if (req.usageFilter !== 'PermissionsBoundary') {
        const rows: Array<Omit<Hit, 'kind'>> = await db.selectFrom('policy_attachments as pa').innerJoin(`${table} as e`, 'e.id', 'pa.entity_id')
          .select(columns).where('pa.account_id', '=', req.accountId).where('pa.policy_arn', '=', req.policyArn).execute();
        for (const r of rows) hits.set(r.id, { kind, ...r });
      }
      if (req.usageFilter !== 'PermissionsPolicy' && kind !== 'group') {
        const rows: Array<Omit<Hit, 'kind'>> = await db.selectFrom(`${table} as e`).select(columns)
          .where('e.account_id', '=', req.accountId).where('e.permissions_boundary_arn', '=', req.policyArn).execute();
        for (const r of rows) hits.set(r.id, { kind, ...r });
      }
    }
    const keyOf = (h: Hit): [number, string, string] => [ENTITY_KIND_ORDER[h.kind], h.name_lower, h.id];
    let sorted = [...hits.values()].filter((h) => !hasPrefix(req.pathPrefix) || h.path.startsWith(req.pathPrefix!)).sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
    if (req.marker) {
      const marker = decodeMarker('policy-entities', req.marker, ['number', 'string', 'string']);
      sorted = sorted.filter((h) => compareKeys(keyOf(h), marker) > 0);
    }
    const limit = pageSize(req.maxItems);
    return toPage(sorted.slice(0, limit + 1), limit, 'policy-entities', keyOf, (h) => ({ kind: h.kind, id: h.id, name: h.name, path: h.path }));
  }

  async getPolicyUsage(accountId: string, arns?: string[]): Promise<Map<string, PolicyUsage>> {
    const usage = new Map<string, PolicyUsage>();
    const entry = (arn: string) => {
      let u = usage.get(arn);
      if (!u) usage.set(arn, (u = { attachmentCount: 0, permissionsBoundaryUsageCount: 0 }));
      return u;
    };
    const groups = arns === undefined ? [undefined] : chunks(unique(arns), IN_CHUNK);
    for (const chunk of groups) {
      if (chunk !== undefined && chunk.length === 0) continue;
      let attachments = this.#db.selectFrom('policy_attachments').select(['policy_arn', (eb) => eb.fn.countAll().as('n')])
        .where('account_id', '=', accountId).groupBy('policy_arn');
      if (chunk) attachments = attachments.where('policy_arn', 'in', chunk);
      for (const row of await attachments.execute()) entry(row.policy_arn).attachmentCount += Number(row.n);
      for (const table of ['users', 'roles'] as const) {
        let boundaries = this.#db.selectFrom(table).select(['permissions_boundary_arn', (eb) => eb.fn.countAll().as('n')])
          .where('account_id', '=', accountId).where('permissions_boundary_arn', 'is not', null).groupBy('permissions_boundary_arn');
        if (chunk) boundaries = boundaries.where('permissions_boundary_arn', 'in', chunk);
        for (const row of await boundaries.execute()) entry(row.permissions_boundary_arn!).permissionsBoundaryUsageCount += Number(row.n);
      }
    }
    return usage;
  }

  // ------------------------------------------------------------------------------------------
  // Inline policies
  // ------------------------------------------------------------------------------------------

  async putInlinePolicy(input: InlinePolicyRow): Promise<void> {
    const { entity } = input;
    await this.#db.insertInto('inline_policies').values({
      account_id: input.accountId,
      entity_kind: entity.kind,
      entity_id: entity.id,
      user_id: entity.kind === 'user' ? entity.id : null,
      group_id: entity.kind === 'group' ? entity.id : null,
      role_id: entity.kind === 'role' ? entity.id : null,
      name: input.name,
      name_lower: input.name.toLowerCase(),
      document: input.document,
    }).onConflict((oc) => oc.columns(['entity_id', 'name_lower']).doUpdateSet({ name: input.name, document: input.document })).execute();
  }

  async getInlinePolicy(entity: EntityRef, name: string): Promise<InlinePolicyRow | undefined> {
    const row = await this.#db.selectFrom('inline_policies').selectAll()
      .where('entity_id', '=', entity.id).where('name_lower', '=', name.toLowerCase()).executeTakeFirst();
    return row && toInline(row);
  }

  async listInlinePolicies(entity: EntityRef, page: PageRequest = {}): Promise<Page<InlinePolicyRow>> {
    const limit = pageSize(page.maxItems);
    let query = this.#db.selectFrom('inline_policies').selectAll().where('entity_id', '=', entity.id);
    if (page.marker) {
      const [nameLower] = decodeMarker('inline', page.marker, ['string']);
      query = query.where('name_lower', '>', nameLower as string);
    }
    const rows = await query.orderBy('name_lower').limit(limit + 1).execute();
    return toPage(rows, limit, 'inline', (r) => [r.name_lower], toInline);
  }

  async listAllInlinePolicies(entities: EntityRef[]): Promise<InlinePolicyRow[]> {
    const result: InlinePolicyRow[] = [];
    for (const chunk of chunks(unique(entities.map((e) => e.id)), IN_CHUNK)) {
      const rows = await this.#db.selectFrom('inline_policies').selectAll().where('entity_id', 'in', chunk).orderBy('entity_id').orderBy('name_lower').execute();
      result.push(...rows.map(toInline));
    }
    return result;
  }

  async deleteInlinePolicy(entity: EntityRef, name: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('inline_policies').where('entity_id', '=', entity.id).where('name_lower', '=', name.toLowerCase()).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  // ------------------------------------------------------------------------------------------
  // Tags
  // ------------------------------------------------------------------------------------------

  async listTags(target: TagTarget, page: PageRequest = {}): Promise<Page<Tag>> {
    const limit = pageSize(page.maxItems);
    let query = this.#db.selectFrom('tags').select(['key', 'value', 'position']).where('target_id', '=', target.id);
    if (page.marker) {
      const [position] = decodeMarker('tags', page.marker, ['number']);
      query = query.where('position', '>', position as number);
    }
    const rows = await query.orderBy('position').limit(limit + 1).execute();
    return toPage(rows, limit, 'tags', (r) => [Number(r.position)], (r) => ({ key: r.key, value: r.value }));
  }

  async putTags(target: TagTarget, tags: Tag[], options: { maxTags?: number } = {}): Promise<void> {
    const maxTags = options.maxTags ?? 50;
    if (tags.length === 0) return;
    await this.#atomic(async (tx) => {
      const db = tx.#db;
      const table = target.kind === 'policy' ? 'managed_policies' : ENTITY_TABLE[target.kind];
      if (!(await tx.#lockRow(table, target.id))) throw new StoreReferenceError(`tags.${TAG_FK[target.kind]}`);
      const existing = await db.selectFrom('tags').select(['key_norm', 'position']).where('target_id', '=', target.id).execute();
      const positions = new Map(existing.map((r) => [r.key_norm, Number(r.position)]));
      let next = Math.max(0, ...positions.values()) + 1;
      // Later duplicates in one request win, as repeated keys overwrite in AWS's TagUser.
      const wanted = new Map<string, Tag>();
      for (const tag of tags) wanted.set(normalizeTagKey(target.kind, tag.key), tag);
      const added = [...wanted.keys()].filter((k) => !positions.has(k)).length;
      if (positions.size + added > maxTags) throw new StoreLimitError('tagsPerResource', maxTags);
      for (const [keyNorm, tag] of wanted) {
        const position = positions.get(keyNorm);
        if (position !== undefined) {
          await db.updateTable('tags').set({ key: tag.key, value: tag.value }).where('target_id', '=', target.id).where('key_norm', '=', keyNorm).execute();
        } else {
          await db.insertInto('tags').values({
            target_kind: target.kind,
            target_id: target.id,
            user_id: target.kind === 'user' ? target.id : null,
            role_id: target.kind === 'role' ? target.id : null,
            policy_id: target.kind === 'policy' ? target.id : null,
            key: tag.key,
            key_norm: keyNorm,
            value: tag.value,
            position: next++,
          }).execute();
        }
      }
    });
  }

  async removeTags(target: TagTarget, keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const norms = unique(keys.map((k) => normalizeTagKey(target.kind, k)));
    const result = await this.#db.deleteFrom('tags').where('target_id', '=', target.id).where('key_norm', 'in', norms).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // ------------------------------------------------------------------------------------------
  // Access keys and login profiles
  // ------------------------------------------------------------------------------------------

  async createAccessKey(input: {
    accountId: string;
    accessKeyId: string;
    owner: AccessKeyOwner;
    secretAccessKey: string;
    status: AccessKeyStatus;
    createDate: Date;
    maxPerOwner?: number;
  }): Promise<AccessKeyRow> {
    const maxPerOwner = input.maxPerOwner ?? 2;
    return this.#atomic(async (tx) => {
      const db = tx.#db;
      const { owner } = input;
      const locked = owner.kind === 'user' ? await tx.#lockRow('users', owner.userId) : await tx.#lockRow('accounts', input.accountId);
      if (!locked) throw new StoreReferenceError(owner.kind === 'user' ? 'access_keys.user_id' : 'access_keys.account_id');
      const n = await countWhere(ownerFilter(db.selectFrom('access_keys').select((eb) => eb.fn.countAll().as('n')), input.accountId, owner));
      if (n >= maxPerOwner) throw new StoreLimitError('accessKeysPerUser', maxPerOwner);
      const row: Database['access_keys'] = {
        access_key_id: input.accessKeyId,
        account_id: input.accountId,
        owner_kind: owner.kind,
        user_id: owner.kind === 'user' ? owner.userId : null,
        secret_sealed: tx.#box.seal(input.secretAccessKey, input.accessKeyId),
        status: input.status,
        create_date: ms(input.createDate),
        last_used_date: null,
        last_used_service: null,
        last_used_region: null,
      };
      await db.insertInto('access_keys').values(row).execute();
      return toAccessKey(row);
    });
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRow | undefined> {
    const row = await this.#db.selectFrom('access_keys').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return row && toAccessKey(row);
  }

  async getAccessKeyWithSecret(accessKeyId: string): Promise<AccessKeyWithSecret | undefined> {
    const row = await this.#db.selectFrom('access_keys').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return row && { ...toAccessKey(row), secretAccessKey: this.#box.open(row.secret_sealed, row.access_key_id) };
  }

  async listAccessKeys(req: { accountId: string; owner: AccessKeyOwner } & PageRequest): Promise<Page<AccessKeyRow>> {
    const limit = pageSize(req.maxItems);
    let query = ownerFilter(this.#db.selectFrom('access_keys').selectAll(), req.accountId, req.owner);
    if (req.marker) query = query.where(after(['create_date', 'access_key_id'], decodeMarker('access-keys', req.marker, ['number', 'string'])));
    const rows = await query.orderBy('create_date').orderBy('access_key_id').limit(limit + 1).execute();
    return toPage(rows, limit, 'access-keys', (r) => [Number(r.create_date), r.access_key_id], toAccessKey);
  }

  async updateAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<boolean> {
    const result = await this.#db.updateTable('access_keys').set({ status }).where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return (await this.#db.deleteFrom('access_keys').where('access_key_id', '=', accessKeyId).executeTakeFirst()).numDeletedRows > 0n;
  }

  async recordAccessKeyUse(batch: AccessKeyUse[]): Promise<void> {
    const latest = latestBy(batch, (u) => u.accessKeyId, (u) => u.usedAt);
    if (latest.length === 0) return;
    await this.#atomic(async (tx) => {
      for (const use of latest) {
        const at = ms(use.usedAt);
        await tx.#db.updateTable('access_keys')
          .set({ last_used_date: at, last_used_service: use.serviceName, last_used_region: use.region })
          .where('access_key_id', '=', use.accessKeyId)
          .where((eb) => eb.or([eb('last_used_date', 'is', null), eb('last_used_date', '<', at)])).execute();
      }
    });
  }

  async createLoginProfile(input: LoginProfileRow): Promise<LoginProfileRow> {
    await this.#db.insertInto('login_profiles').values({
      user_id: input.userId,
      account_id: input.accountId,
      password_hash: input.passwordHash,
      password_reset_required: input.passwordResetRequired ? 1 : 0,
      create_date: ms(input.createDate),
    }).execute();
    return { ...input, createDate: new Date(ms(input.createDate)) };
  }

  async getLoginProfile(userId: string): Promise<LoginProfileRow | undefined> {
    const row = await this.#db.selectFrom('login_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row && toLoginProfile(row);
  }

  async updateLoginProfile(userId: string, patch: { passwordHash?: string; passwordResetRequired?: boolean }): Promise<LoginProfileRow | undefined> {
    const set: Partial<Database['login_profiles']> = {};
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
    if (patch.passwordResetRequired !== undefined) set.password_reset_required = patch.passwordResetRequired ? 1 : 0;
    if (Object.keys(set).length > 0) {
      const result = await this.#db.updateTable('login_profiles').set(set).where('user_id', '=', userId).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return undefined;
    }
    return this.getLoginProfile(userId);
  }

  async deleteLoginProfile(userId: string): Promise<boolean> {
    return (await this.#db.deleteFrom('login_profiles').where('user_id', '=', userId).executeTakeFirst()).numDeletedRows > 0n;
  }

  // ------------------------------------------------------------------------------------------
  // Audit events
  // ------------------------------------------------------------------------------------------

  async appendAuditEvents(events: NewAuditEvent[]): Promise<Array<{ eventId: string; seq: number; prevHash: string; hash: string }>> {
    if (events.length === 0) return [];
    return this.#atomic(async (tx) => {
      const db = tx.#db;
      await tx.#hooks.lockAuditChain(db);
      let prev = (await tx.getAuditHead()) ?? { seq: 0, hash: GENESIS_HASH };
      const rows: Database['audit_events'][] = [];
      const resources: Database['audit_event_resources'][] = [];
      const out: Array<{ eventId: string; seq: number; prevHash: string; hash: string }> = [];
      for (const event of events) {
        const seq = prev.seq + 1;
        const hash = chainHash(prev.hash, seq, event.eventId, event.recordJson);
        const eventTime = ms(event.eventTime);
        rows.push({
          seq,
          event_id: event.eventId,
          account_id: event.accountId,
          event_time: eventTime,
          event_source: event.eventSource,
          event_name: event.eventName,
          read_only: event.readOnly ? 1 : 0,
          username: event.username ?? null,
          access_key_id: event.accessKeyId ?? null,
          error_code: event.errorCode ?? null,
          record: event.recordJson,
          prev_hash: prev.hash,
          hash,
        });
        event.resources.forEach((r, position) => resources.push({
          seq, position, account_id: event.accountId, event_time: eventTime, resource_type: r.type, resource_name: r.name,
        }));
        out.push({ eventId: event.eventId, seq, prevHash: prev.hash, hash });
        prev = { seq, hash };
      }
      for (const chunk of chunks(rows, INSERT_CHUNK)) await db.insertInto('audit_events').values(chunk).execute();
      for (const chunk of chunks(resources, INSERT_CHUNK)) await db.insertInto('audit_event_resources').values(chunk).execute();
      return out;
    });
  }

  async lookupAuditEvents(req: {
    accountId: string;
    startTime?: Date;
    endTime?: Date;
    attribute?: AuditLookupAttribute;
    limit: number;
    cursor?: string;
  }): Promise<{ events: AuditEventRow[]; nextCursor?: string }> {
    const limit = Math.max(1, Math.floor(req.limit));
    const cursor = req.cursor ? decodeMarker('audit', req.cursor, ['number', 'number']) : undefined;
    const run = async (tx: SqlStore) => {
      await tx.#hooks.prepareAuditLookup?.(tx.#db);
      const seqs = await tx.#lookupAuditSeqs(req, limit + 1, cursor);
      const events = await tx.#loadAuditEvents(seqs.slice(0, limit));
      events.sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime() || b.seq - a.seq);
      const last = events[events.length - 1];
      return {
        events,
        ...(seqs.length > limit && last ? { nextCursor: encodeAuditCursor(last) } : {}),
      };
    };
    return this.#hooks.prepareAuditLookup ? this.#atomic(run) : run(this);
  }

  /** The seqs of one lookup page (plus one, to tell whether more follow), newest first. */
  async #lookupAuditSeqs(
    req: { accountId: string; startTime?: Date; endTime?: Date; attribute?: AuditLookupAttribute },
    fetch: number,
    cursor: Array<string | number> | undefined,
  ): Promise<number[]> {
    const attribute = req.attribute;
    if (attribute && (attribute.key === 'ResourceType' || attribute.key === 'ResourceName')) {
      const column = attribute.key === 'ResourceType' ? 'resource_type' : 'resource_name';
      let query = this.#db.selectFrom('audit_event_resources').select(['seq', 'event_time']).distinct()
        .where('account_id', '=', req.accountId).where(column, '=', attribute.value);
      if (req.startTime) query = query.where('event_time', '>=', ms(req.startTime));
      if (req.endTime) query = query.where('event_time', '<=', ms(req.endTime));
      if (cursor) query = query.where(before(['event_time', 'seq'], cursor));
      const rows = await query.orderBy('event_time', 'desc').orderBy('seq', 'desc').limit(fetch).execute();
      return rows.map((r) => Number(r.seq));
    }
    let query = this.#db.selectFrom('audit_events').select(['seq']).where('account_id', '=', req.accountId);
    if (attribute?.key === 'EventId') {
      // event_id is unique: its own index finds the one row, and one row needs no ORDER BY (with
      // sorting penalized, PostgreSQL would otherwise walk the account's whole time index instead).
      query = query.where('event_id', '=', attribute.value);
      if (req.startTime) query = query.where('event_time', '>=', ms(req.startTime));
      if (req.endTime) query = query.where('event_time', '<=', ms(req.endTime));
      if (cursor) query = query.where(before(['event_time', 'seq'], cursor));
      return (await query.execute()).map((r) => Number(r.seq));
    }
    if (attribute) query = query.where(auditAttributeFilter(attribute));
    if (req.startTime) query = query.where('event_time', '>=', ms(req.startTime));
    if (req.endTime) query = query.where('event_time', '<=', ms(req.endTime));
    if (cursor) query = query.where(before(['event_time', 'seq'], cursor));
    const rows = await query.orderBy('event_time', 'desc').orderBy('seq', 'desc').limit(fetch).execute();
    return rows.map((r) => Number(r.seq));
  }

  async scanAuditEvents(req: { fromSeq: number; limit: number }): Promise<AuditEventRow[]> {
    const rows = await this.#db.selectFrom('audit_events').selectAll().where('seq', '>=', req.fromSeq)
      .orderBy('seq').limit(Math.max(1, Math.floor(req.limit))).execute();
    return this.#withResources(rows);
  }

  async deleteAuditEventsThrough(seq: number): Promise<number> {
    return this.#atomic(async (tx) => {
      const db = tx.#db;
      await tx.#hooks.lockAuditChain(db);
      const last = await db.selectFrom('audit_events').select(['seq', 'hash']).where('seq', '<=', seq).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      if (!last) return 0;
      await db.deleteFrom('audit_event_resources').where('seq', '<=', last.seq).execute();
      const result = await db.deleteFrom('audit_events').where('seq', '<=', last.seq).executeTakeFirst();
      const checkpoint: AuditCheckpoint = { seq: Number(last.seq), hash: last.hash };
      await tx.setMeta(CHECKPOINT_META_KEY, JSON.stringify(checkpoint));
      return Number(result.numDeletedRows);
    });
  }

  async getAuditCheckpoint(): Promise<AuditCheckpoint | undefined> {
    const value = await this.getMeta(CHECKPOINT_META_KEY);
    if (value === undefined) return undefined;
    const parsed = JSON.parse(value) as AuditCheckpoint;
    return { seq: Number(parsed.seq), hash: String(parsed.hash) };
  }

  async getAuditHead(): Promise<AuditCheckpoint | undefined> {
    const last = await this.#db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const checkpoint = await this.getAuditCheckpoint();
    // INVARIANT: after retention deleted every row, the chain continues from the checkpoint, so a
    // seq is never reused and the next row's prevHash is the last deleted row's hash.
    if (last && (!checkpoint || Number(last.seq) > checkpoint.seq)) return { seq: Number(last.seq), hash: last.hash };
    return checkpoint;
  }

  async #loadAuditEvents(seqs: number[]): Promise<AuditEventRow[]> {
    if (seqs.length === 0) return [];
    const rows = await this.#db.selectFrom('audit_events').selectAll().where('seq', 'in', seqs).execute();
    return this.#withResources(rows);
  }

  async #withResources(rows: Database['audit_events'][]): Promise<AuditEventRow[]> {
    const bySeq = new Map<number, AuditEventRow>();
    for (const row of rows) bySeq.set(Number(row.seq), toAuditEvent(row));
    for (const chunk of chunks([...bySeq.keys()], IN_CHUNK)) {
      const resources = await this.#db.selectFrom('audit_event_resources').select(['seq', 'resource_type', 'resource_name'])
        .where('seq', 'in', chunk).orderBy('seq').orderBy('position').execute();
      for (const r of resources) bySeq.get(Number(r.seq))?.resources.push({ type: r.resource_type, name: r.resource_name });
    }
    return [...bySeq.values()];
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers (pure)
// ---------------------------------------------------------------------------------------------

function ms(date: Date): number {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new TypeError('invalid date');
  return t;
}

function optionalDate(value: number | string | null): Date | undefined {
  return value === null ? undefined : new Date(Number(value));
}

function hasPrefix(prefix: string | undefined): prefix is string {
  return prefix !== undefined && prefix !== '' && prefix !== '/';
}

/** `column` starts with `prefix`, compared as bytes (LIKE would treat `%`/`_` in paths as wildcards). */
function pathStartsWith(column: string, prefix: string): Expression<SqlBool> {
  return sql<SqlBool>`substr(${sql.ref(column)}, 1, ${prefix.length}) = ${prefix}`;
}

/** Row-value keyset condition: `(a, b) > (x, y)`. */
function after(columns: [string, string], key: Array<string | number>): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(columns[0])}, ${sql.ref(columns[1])}) > (${key[0]}, ${key[1]})`;
}

/** Row-value keyset condition for descending pages: `(a, b) < (x, y)`. */
function before(columns: [string, string], key: Array<string | number>): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(columns[0])}, ${sql.ref(columns[1])}) < (${key[0]}, ${key[1]})`;
}

function auditAttributeFilter(attribute: AuditLookupAttribute): Expression<SqlBool> {
  switch (attribute.key) {
    case 'EventId': return sql<SqlBool>`event_id = ${attribute.value}`;
    case 'EventName': return sql<SqlBool>`event_name = ${attribute.value}`;
    case 'Username': return sql<SqlBool>`username = ${attribute.value}`;
    case 'EventSource': return sql<SqlBool>`event_source = ${attribute.value}`;
    case 'AccessKeyId': return sql<SqlBool>`access_key_id = ${attribute.value}`;
    case 'ReadOnly': return sql<SqlBool>`read_only = ${attribute.value.toLowerCase() === 'true' ? 1 : 0}`;
    default: throw new TypeError(`lookup attribute \`${attribute.key}\` is not a column filter`);
  }
}

function encodeAuditCursor(event: AuditEventRow): string {
  return encodeMarker('audit', [event.eventTime.getTime(), event.seq]);
}

function compareKeys(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

function normalizeTagKey(kind: TagTarget['kind'], key: string): string {
  return kind === 'user' || kind === 'role' ? key.toLowerCase() : key;
}

/** The name and path of a managed policy ARN (`arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`). */
function policyNameAndPath(arn: string): { name: string; path: string } {
  const resource = arn.slice(arn.indexOf(':policy/') + ':policy'.length);
  const cut = resource.lastIndexOf('/');
  return { name: resource.slice(cut + 1), path: cut <= 0 ? '/' : resource.slice(0, cut + 1) };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function chunks<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** One entry per key, the one with the latest date. */
function latestBy<T>(items: T[], key: (item: T) => string, date: (item: T) => Date): T[] {
  const latest = new Map<string, T>();
  for (const item of items) {
    const current = latest.get(key(item));
    if (!current || date(item).getTime() > date(current).getTime()) latest.set(key(item), item);
  }
  return [...latest.values()];
}

async function countWhere(query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }): Promise<number> {
  return Number((await query.executeTakeFirstOrThrow()).n);
}

function ownerFilter<Q extends { where: (...args: any[]) => any }>(query: Q, accountId: string, owner: AccessKeyOwner): Q {
  const q = query.where('account_id', '=', accountId).where('owner_kind', '=', owner.kind);
  return owner.kind === 'user' ? q.where('user_id', '=', owner.userId) : q;
}

// ---------------------------------------------------------------------------------------------
// Row mappers
// ---------------------------------------------------------------------------------------------

function toAccount(r: Database['accounts']): AccountRow {
  return {
    id: r.id,
    createDate: new Date(Number(r.create_date)),
    ...(r.password_policy !== null ? { passwordPolicyJson: r.password_policy } : {}),
    settingsJson: r.settings,
  };
}

function toUser(r: UsersTable): UserRow {
  const passwordLastUsed = optionalDate(r.password_last_used);
  return {
    accountId: r.account_id,
    id: r.id,
    name: r.name,
    path: r.path,
    arn: r.arn,
    createDate: new Date(Number(r.create_date)),
    ...(r.permissions_boundary_arn !== null ? { permissionsBoundaryArn: r.permissions_boundary_arn } : {}),
    ...(passwordLastUsed ? { passwordLastUsed } : {}),
  };
}

function toGroup(r: GroupsTable): GroupRow {
  return { accountId: r.account_id, id: r.id, name: r.name, path: r.path, arn: r.arn, createDate: new Date(Number(r.create_date)) };
}

function toRole(r: RolesTable): RoleRow {
  const lastUsedDate = optionalDate(r.last_used_date);
  return {
    accountId: r.account_id,
    id: r.id,
    name: r.name,
    path: r.path,
    arn: r.arn,
    createDate: new Date(Number(r.create_date)),
    assumeRolePolicyDocument: r.assume_role_policy_document,
    ...(r.description !== null ? { description: r.description } : {}),
    maxSessionDuration: Number(r.max_session_duration),
    ...(r.permissions_boundary_arn !== null ? { permissionsBoundaryArn: r.permissions_boundary_arn } : {}),
    ...(lastUsedDate ? { lastUsedDate } : {}),
    ...(r.last_used_region !== null ? { lastUsedRegion: r.last_used_region } : {}),
  };
}

function toPolicy(r: PolicyRecord): ManagedPolicyRow {
  return {
    accountId: r.account_id,
    id: r.id,
    name: r.name,
    path: r.path,
    arn: r.arn,
    ...(r.description !== null ? { description: r.description } : {}),
    defaultVersionId: r.default_version_id,
    createDate: new Date(Number(r.create_date)),
    updateDate: new Date(Number(r.update_date)),
    attachmentCount: Number(r.attachment_count),
    permissionsBoundaryUsageCount: Number(r.boundary_count),
  };
}

function toPolicyVersion(r: Database['policy_versions'] & { default_version_id: string }): PolicyVersionRow {
  return {
    policyId: r.policy_id,
    versionId: r.version_id,
    document: r.document,
    isDefaultVersion: r.version_id === r.default_version_id,
    createDate: new Date(Number(r.create_date)),
  };
}

function toAttachment(r: Database['policy_attachments']): PolicyAttachmentRow {
  return {
    accountId: r.account_id,
    entity: { kind: r.entity_kind as PrincipalEntityKind, id: r.entity_id },
    policyArn: r.policy_arn,
    policyName: r.policy_name,
    policyPath: r.policy_path,
  };
}

function toInline(r: Database['inline_policies']): InlinePolicyRow {
  return { accountId: r.account_id, entity: { kind: r.entity_kind as PrincipalEntityKind, id: r.entity_id }, name: r.name, document: r.document };
}

function toAccessKey(r: Database['access_keys']): AccessKeyRow {
  const lastUsedDate = optionalDate(r.last_used_date);
  return {
    accountId: r.account_id,
    accessKeyId: r.access_key_id,
    owner: r.owner_kind === 'user' ? { kind: 'user', userId: r.user_id! } : { kind: 'root' },
    status: r.status as AccessKeyStatus,
    createDate: new Date(Number(r.create_date)),
    ...(lastUsedDate ? { lastUsedDate } : {}),
    ...(r.last_used_service !== null ? { lastUsedServiceName: r.last_used_service } : {}),
    ...(r.last_used_region !== null ? { lastUsedRegion: r.last_used_region } : {}),
  };
}

function toLoginProfile(r: Database['login_profiles']): LoginProfileRow {
  return {
    accountId: r.account_id,
    userId: r.user_id,
    passwordHash: r.password_hash,
    passwordResetRequired: Number(r.password_reset_required) === 1,
    createDate: new Date(Number(r.create_date)),
  };
}

function toAuditEvent(r: Database['audit_events']): AuditEventRow {
  return {
    seq: Number(r.seq),
    eventId: r.event_id,
    accountId: r.account_id,
    eventTime: new Date(Number(r.event_time)),
    eventSource: r.event_source,
    eventName: r.event_name,
    readOnly: Number(r.read_only) === 1,
    ...(r.username !== null ? { username: r.username } : {}),
    ...(r.access_key_id !== null ? { accessKeyId: r.access_key_id } : {}),
    ...(r.error_code !== null ? { errorCode: r.error_code } : {}),
    resources: [],
    recordJson: r.record,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
