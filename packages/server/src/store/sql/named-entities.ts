import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { EntityRef, NamedEntityRow, Page, PageRequest, PathPageRequest, PrincipalEntityKind } from '../store.js';
import { chunks, IN_CHUNK, unique } from './batches.js';
import { date, ms } from './columns.js';
import { after, hasPrefix, pageLimit, pathStartsWith } from './conditions.js';
import { decodeMarker, pageSize, toPage } from './markers.js';
import { PreparedPage } from './prepared-pages.js';
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

/** What sets one table apart: its name, the tag of its listing's markers, and its row mappers. @internal */
export interface NamedEntityTableSpec<T extends NamedEntityTable, Row> {
  readonly table: T;
  /** Names the listing in its markers, so a marker of one listing is refused by another. */
  readonly listingTag: string;
  toRow(record: Database[T]): Row;
  /** What the account's listing reads of a row. */
  readonly listed: ListedColumns<T, Row>;
}

/**
 * The columns an account's listing reads, `id` and `name` first, and the row made of their values
 * in that order. A listing reads arrays (`PreparedPage`) and no column the row does not
 * show: not `account_id` (the listing's own) nor `name_lower` (the marker's key, which is the
 * name's `toLowerCase()`: `schema.ts`). Per row, every value and every object built cost more
 * than the database's work for it (bench/api/profile-lists.js).
 *
 * @internal
 */
export interface ListedColumns<T extends NamedEntityTable, Row> {
  readonly columns: readonly ['id', 'name', ...Array<keyof Database[T] & string>];
  toRow(values: readonly unknown[], accountId: string): Row;
}

/** The listed columns every named entity shows; `listedEntityFields` reads them. @internal */
export const LISTED_ENTITY_COLUMNS = ['id', 'name', 'path', 'arn', 'create_date'] as const;

/** The shared fields of a listed entity, from values in `LISTED_ENTITY_COLUMNS`' order. @internal */
export function listedEntityFields(values: readonly unknown[], accountId: string): NamedEntityRow {
  return { accountId, id: values[0] as string, name: values[1] as string, path: values[2] as string, arn: values[3] as string, createDate: date(values[4] as number | string) };
}

/** The marker key of a listed row (`id`, `name` first): `name_lower` and `id`, the listing's order. @internal */
export function listedKey(values: readonly unknown[]): [string, string] {
  return [(values[1] as string).toLowerCase(), values[0] as string];
}

/** The listing's two prepared reads (first page, page after a marker) of each table's spec. */
interface ListingReads {
  first: PreparedPage<[accountId: string, limit: number]>;
  after: PreparedPage<[accountId: string, nameLower: string, id: string, limit: number]>;
}
/** A column of any of the tables (`selectFrom` a union of them offers every one). */
type ListedColumn = { [K in NamedEntityTable]: keyof Database[K] & string }[NamedEntityTable];

/** Each table's reads (a table has one spec, so one list of listed columns). */
const LISTING_READS = new Map<NamedEntityTable, ListingReads>();

function listingReads(table: NamedEntityTable, columns: readonly ListedColumn[]): ListingReads {
  let reads = LISTING_READS.get(table);
  if (!reads) {
    const shape = { columns, order: ['name_lower', 'id'] };
    reads = {
      first: new PreparedPage(2, shape, (db, accountId: string, limit: number) => accountEntities(db, table, accountId).orderBy('name_lower').orderBy('id').limit(pageLimit(limit))),
      after: new PreparedPage(4, shape, (db, accountId: string, nameLower: string, id: string, limit: number) =>
        accountEntities(db, table, accountId).where(after(['name_lower', 'id'], [nameLower, id])).orderBy('name_lower').orderBy('id').limit(pageLimit(limit))),
    };
    LISTING_READS.set(table, reads);
  }
  return reads;
}

function listingQuery(db: Kysely<Database>, table: NamedEntityTable, columns: readonly ListedColumn[], accountId: string) {
  return accountEntities(db, table, accountId).select(columns);
}

/** An account's entities of `table`, nothing selected yet. */
function accountEntities(db: Kysely<Database>, table: NamedEntityTable, accountId: string) {
  return db.selectFrom(table).where('account_id', '=', accountId);
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

  /**
   * An account's entities (`List{Users,Groups,Roles,InstanceProfiles}`), ordered by name
   * case-insensitively, then id. Without a path prefix (the usual call) the page is a prepared
   * read; with one, the same columns through Kysely.
   */
  async list(req: { accountId: string } & PathPageRequest): Promise<Page<Row>> {
    const limit = pageSize(req.maxItems);
    const { listingTag, listed } = this.#spec;
    // `keyof Database[T]` is one of the union's columns, which TypeScript cannot see for a generic T.
    const columns = listed.columns as readonly ListedColumn[];
    const key = req.marker ? decodeMarker(listingTag, req.marker, ['string', 'string']) : undefined;
    let rows: unknown[][];
    if (!hasPrefix(req.pathPrefix)) {
      const reads = listingReads(this.#table, columns);
      rows = key ? await reads.after.rows(this.#ctx, req.accountId, key[0] as string, key[1] as string, limit + 1) : await reads.first.rows(this.#ctx, req.accountId, limit + 1);
    } else {
      let query = listingQuery(this.#ctx.db, this.#table, columns, req.accountId).where(pathStartsWith(this.#ctx.hooks.dialect, 'path', req.pathPrefix));
      if (key) query = query.where(after(['name_lower', 'id'], key));
      rows = (await query.orderBy('name_lower').orderBy('id').limit(limit + 1).execute()).map((r) => Object.values(r));
    }
    return toPage(rows, limit, listingTag, listedKey, (r) => listed.toRow(r, req.accountId));
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

  /** The ARNs of those of `ids` that exist, by id: one read per {@link IN_CHUNK} ids. */
  async arnsByIds(ids: readonly string[]): Promise<Map<string, string>> {
    const arns = new Map<string, string>();
    for (const chunk of chunks(unique([...ids]), IN_CHUNK)) {
      const records = await this.#ctx.db.selectFrom(this.#table).select(['id', 'arn']).where('id', 'in', chunk).execute();
      for (const r of records) arns.set(r.id, r.arn);
    }
    return arns;
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

  async #list(scope: { ids: MemberIds }, page: PageRequest, listingTag: string): Promise<Page<Row>> {
    const limit = pageSize(page.maxItems);
    let query = this.#ctx.db.selectFrom(this.#table).selectAll().where('id', 'in', scope.ids);
    if (page.marker) query = query.where(after(['name_lower', 'id'], decodeMarker(listingTag, page.marker, ['string', 'string'])));
    const records = await query.orderBy('name_lower').orderBy('id').limit(limit + 1).execute();
    return toPage(records, limit, listingTag, (r) => [r.name_lower, r.id], (r) => this.#spec.toRow(r));
  }
}
