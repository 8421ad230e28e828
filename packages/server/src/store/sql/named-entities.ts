import type { SelectQueryBuilder } from 'kysely';
import type { EntityRef, NamedEntityRow, Page, PageRequest, PathPageRequest, PrincipalEntityKind } from '../store.js';
import { date, ms } from './columns.js';
import { after, hasPrefix, pathStartsWith } from './conditions.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import { PreparedRead } from './prepared-reads.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** The point reads of each table, prepared once (`prepared-reads.ts`): they run on every call that names an entity. */
function pointReads(table: NamedEntityTable) {
  return {
    byId: new PreparedRead(1, (db, id: string) => db.selectFrom(table).selectAll().where('id', '=', id)),
    byName: new PreparedRead(2, (db, accountId: string, nameLower: string) =>
      db.selectFrom(table).selectAll().where('account_id', '=', accountId).where('name_lower', '=', nameLower)),
  };
}
const POINT_READS = {
  users: pointReads('users'), groups: pointReads('groups'), roles: pointReads('roles'), instance_profiles: pointReads('instance_profiles'),
} satisfies Record<NamedEntityTable, unknown>;

/**
 * The tables of IAM entities named per account, case-insensitively: users, groups, roles and
 * instance profiles (`managed_policies` shares their naming columns, but not their listing or
 * lifecycle).
 *
 * @internal
 */
export type NamedEntityTable = 'users' | 'groups' | 'roles' | 'instance_profiles';

/** The table of each kind of principal entity. @internal */
export const ENTITY_TABLE = { user: 'users', group: 'groups', role: 'roles' } as const satisfies Record<PrincipalEntityKind, NamedEntityTable>;

/** The columns the three tables share (`schema.ts`). @internal */
export type NamedEntityColumns = Pick<Database[NamedEntityTable], 'id' | 'account_id' | 'name' | 'name_lower' | 'path' | 'arn' | 'create_date'>;

/** What sets one table apart: its name, the tag of its listing's markers, and its row mapper. @internal */
export interface NamedEntityTableSpec<T extends NamedEntityTable, Row> {
  readonly table: T;
  /** Names the listing in its markers, so a marker of one listing is refused by another. */
  readonly listingTag: string;
  toRow(record: Database[T]): Row;
}

/** A rename or move: the name (its lower-case form follows), the path, and the ARN they make. @internal */
export interface NamedEntityPatch {
  name?: string;
  path?: string;
  arn?: string;
}

/** Ids a membership listing reads: a column of `group_members` or `instance_profile_roles` selected `as id`. @internal */
export type MemberIds =
  | SelectQueryBuilder<Database, 'group_members', { id: string }>
  | SelectQueryBuilder<Database, 'instance_profile_roles', { id: string }>;

/**
 * The foreign-key columns that point a `policy_attachments` or `inline_policies` row at its entity:
 * exactly one is set.
 *
 * @internal
 */
export function entityKeyColumns(entity: EntityRef): { user_id: string | null; group_id: string | null; role_id: string | null } {
  return {
    user_id: entity.kind === 'user' ? entity.id : null,
    group_id: entity.kind === 'group' ? entity.id : null,
    role_id: entity.kind === 'role' ? entity.id : null,
  };
}

/** The shared columns of a new entity, with the name's lower-case form under the unique index. @internal */
export function namedEntityColumns(input: NamedEntityRow): NamedEntityColumns {
  return {
    id: input.id,
    account_id: input.accountId,
    name: input.name,
    name_lower: input.name.toLowerCase(),
    path: input.path,
    arn: input.arn,
    create_date: ms(input.createDate),
  };
}

/** The shared fields of a stored entity. @internal */
export function namedEntityFields(record: NamedEntityColumns): NamedEntityRow {
  return { accountId: record.account_id, id: record.id, name: record.name, path: record.path, arn: record.arn, createDate: date(record.create_date) };
}

/**
 * Create, read by id or by name (case-insensitively), list in name order with `Marker` paging and
 * a path prefix, rename/move and delete, once for the three named-entity tables. Uniqueness of
 * names stays with the `(account_id, name_lower)` unique index, never a read-then-write, so a
 * taken name (on create or rename) throws `StoreConflictError` from the driver.
 *
 * Typing: queries name the table through the union `NamedEntityTable`, which Kysely types as if
 * the three tables were joined: every shared column has its one type, so filters, ordering and
 * `set` are checked, and a selected record carries every column of the three. The spec ties
 * `table` to the `toRow` of that same table, so a record only ever reaches the mapper of its own
 * table; that is what keeps `Database[T]` honest here without a cast.
 *
 * @internal
 */
export class NamedEntityTableStore<T extends NamedEntityTable, Row> {
  readonly #ctx: SqlContext;
  readonly #spec: NamedEntityTableSpec<T, Row>;
  readonly #table: NamedEntityTable;

  constructor(ctx: SqlContext, spec: NamedEntityTableSpec<T, Row>) {
    this.#ctx = ctx;
    this.#spec = spec;
    this.#table = spec.table;
  }

  /** Inserts `record`; a taken id or name (any case) throws `StoreConflictError`. */
  async insert(record: Database[T]): Promise<Row> {
    await this.#ctx.db.insertInto(this.#table).values(record).execute();
    return this.#spec.toRow(record);
  }

  async getById(id: string): Promise<Row | undefined> {
    const record = await POINT_READS[this.#table].byId.first(this.#ctx, id);
    return record && this.#spec.toRow(record);
  }

  async getByName(accountId: string, name: string): Promise<Row | undefined> {
    const record = await POINT_READS[this.#table].byName.first(this.#ctx, accountId, name.toLowerCase());
    return record && this.#spec.toRow(record);
  }

  /** An account's entities (`List{Users,Groups,Roles}`), ordered by name case-insensitively, then id. */
  list(req: { accountId: string } & PathPageRequest): Promise<Page<Row>> {
    return this.#list({ accountId: req.accountId }, req, this.#spec.listingTag);
  }

  /** The entities whose ids `ids` selects (a group's members, a user's groups), in the same order. */
  listMembers(ids: MemberIds, page: PageRequest, listingTag: string): Promise<Page<Row>> {
    return this.#list({ ids }, page, listingTag);
  }

  /** Every entity whose id `ids` selects, unpaged, in name order. */
  async listAllMembers(ids: MemberIds): Promise<Row[]> {
    const records = await this.#ctx.db.selectFrom(this.#table).selectAll().where('id', 'in', ids)
      .orderBy('name_lower').orderBy('id').execute();
    return records.map((r) => this.#spec.toRow(r));
  }

  /**
   * Renames/moves (`patch`) and sets the table's own `columns`, then reads the entity back;
   * `undefined` if there is no such entity. With nothing to change it is a read.
   */
  async update(id: string, patch: NamedEntityPatch, columns: Partial<Database[T]> = {}): Promise<Row | undefined> {
    const set: Partial<NamedEntityColumns> & Partial<Database[T]> = { ...columns };
    if (patch.name !== undefined) Object.assign(set, { name: patch.name, name_lower: patch.name.toLowerCase() });
    if (patch.path !== undefined) set.path = patch.path;
    if (patch.arn !== undefined) set.arn = patch.arn;
    if (Object.keys(set).length > 0) {
      const result = await this.#ctx.db.updateTable(this.#table).set(set).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return undefined;
    }
    return this.getById(id);
  }

  /** Deletes the entity; foreign keys refuse it (`StoreReferenceError`) while dependents remain. */
  async delete(id: string): Promise<boolean> {
    return (await this.#ctx.db.deleteFrom(this.#table).where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
  }

  async #list(scope: { accountId: string } | { ids: MemberIds }, page: PathPageRequest, listingTag: string): Promise<Page<Row>> {
    const limit = pageSize(page.maxItems);
    let query = this.#ctx.db.selectFrom(this.#table).selectAll();
    query = 'accountId' in scope ? query.where('account_id', '=', scope.accountId) : query.where('id', 'in', scope.ids);
    if (hasPrefix(page.pathPrefix)) query = query.where(pathStartsWith(this.#ctx.hooks.dialect, 'path', page.pathPrefix));
    if (page.marker) query = query.where(after(['name_lower', 'id'], decodeMarker(listingTag, page.marker, ['string', 'string'])));
    const records = await query.orderBy('name_lower').orderBy('id').limit(limit + 1).execute();
    return toPage(records, limit, listingTag, (r) => [r.name_lower, r.id], (r) => this.#spec.toRow(r));
  }
}
