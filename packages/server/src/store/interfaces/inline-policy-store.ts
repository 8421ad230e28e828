import type { Page, PageRequest } from './paging.js';
import type { EntityRef } from './principal-entity.js';

/** A policy embedded in a user, group or role. */
export interface InlinePolicyRow {
  accountId: string;
  entity: EntityRef;
  /** The spelling of the latest `Put…Policy`. */
  name: string;
  /** The policy document as JSON text (not URL-encoded). */
  document: string;
}

/** Inline policies of users, groups and roles. Names are unique per entity case-insensitively. */
export interface InlinePolicyStore {
  /** `Put{User,Group,Role}Policy`: inserts, or replaces the document (and spelling) of the same name. */
  putInlinePolicy(input: InlinePolicyRow): Promise<void>;
  /** `Get…Policy`, by name case-insensitively. */
  getInlinePolicy(entity: EntityRef, name: string): Promise<InlinePolicyRow | undefined>;
  /** `List…Policies`, ordered by name; documents included. */
  listInlinePolicies(entity: EntityRef, page?: PageRequest): Promise<Page<InlinePolicyRow>>;
  /** Every inline policy of the given entities, unpaged (authorization). */
  listAllInlinePolicies(entities: EntityRef[]): Promise<InlinePolicyRow[]>;
  /** `Delete…Policy`; `false` if there was none of that name. */
  deleteInlinePolicy(entity: EntityRef, name: string): Promise<boolean>;
}
