import { expect, it } from 'vitest';
import { GENESIS_HASH } from '../chain-hash.js';
import type { AuditEventRow, NewAuditEvent, NewInstanceProfile, NewRole, NewUser, Page, PageRequest, Store } from '../store.js';
import type { TestStore } from '../testing.js';

/**
 * What each aggregate's part of the store contract gets from `runStoreContract`: the test function
 * (which skips the titles a dialect lists) and the current test's store.
 */
export interface ContractScope {
  /** `it`, or `it.skip` for a title the dialect skips. */
  test: (title: string, fn: () => Promise<void>) => void;
  /** The fresh store of the running test, with two accounts (`ACCOUNT`, `OTHER_ACCOUNT`) created. */
  current: () => TestStore;
}

/** A test title runner that skips the given titles. */
export function contractTest(skipped: Set<string>): ContractScope['test'] {
  return (title, fn) => (skipped.has(title) ? it.skip(title, fn) : it(title, fn));
}

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';
const T0 = Date.parse('2026-01-02T03:04:05.678Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000);

let counter = 0;
/** A unique id with an AWS prefix (unique across the whole run, like real ids). */
export const uid = (prefix: string) => `${prefix}${String(++counter).padStart(6, '0')}TEST${Math.random().toString(36).slice(2, 9).toUpperCase()}`;

export function newUser(name: string, over: Partial<NewUser> = {}): NewUser {
  const path = over.path ?? '/';
  const accountId = over.accountId ?? ACCOUNT;
  return { accountId, id: uid('AIDA'), name, path, arn: `arn:aws:iam::${accountId}:user${path}${name}`, createDate: at(0), ...over };
}

export function newGroup(name: string, path = '/', accountId = ACCOUNT) {
  return { accountId, id: uid('AGPA'), name, path, arn: `arn:aws:iam::${accountId}:group${path}${name}`, createDate: at(0) };
}

const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

export function newInstanceProfile(name: string, path = '/', accountId = ACCOUNT): NewInstanceProfile {
  return { accountId, id: uid('AIPA'), name, path, arn: `arn:aws:iam::${accountId}:instance-profile${path}${name}`, createDate: at(0) };
}

export function newRole(name: string, over: Partial<NewRole> = {}): NewRole {
  const path = over.path ?? '/';
  const accountId = over.accountId ?? ACCOUNT;
  return {
    accountId, id: uid('AROA'), name, path, arn: `arn:aws:iam::${accountId}:role${path}${name}`, createDate: at(0),
    assumeRolePolicyDocument: TRUST, maxSessionDuration: 3600, ...over,
  };
}

export const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

export function newPolicy(name: string, path = '/', accountId = ACCOUNT) {
  return { accountId, id: uid('ANPA'), name, path, arn: `arn:aws:iam::${accountId}:policy${path}${name}`, document: doc('s3:GetObject'), createDate: at(0) };
}

export function auditEvent(i: number, over: Partial<NewAuditEvent> = {}): NewAuditEvent {
  const eventId = over.eventId ?? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    eventId,
    accountId: ACCOUNT,
    eventTime: at(i),
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    readOnly: true,
    resources: [],
    recordJson: JSON.stringify({ eventVersion: '1.08', eventID: eventId, n: i }),
    ...over,
  };
}

/** Checks seqs are consecutive and every hash links to the previous one (recomputed with the store's chain key). */
export function expectLinearChain(store: Pick<Store, 'auditChainHash'>, rows: AuditEventRow[], start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }) {
  let prev = start;
  for (const row of rows) {
    expect(row.seq).toBe(prev.seq + 1);
    expect(row.prevHash).toBe(prev.hash);
    expect(row.hash).toBe(store.auditChainHash(prev.hash, row.seq, row));
    prev = { seq: row.seq, hash: row.hash };
  }
}

/** Reads every page of a listing. */
export async function allPages<T>(list: (page: PageRequest) => Promise<Page<T>>, maxItems: number): Promise<{ pages: T[][]; items: T[] }> {
  const pages: T[][] = [];
  let marker: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await list({ maxItems, ...(marker ? { marker } : {}) });
    pages.push(page.items);
    expect(page.isTruncated).toBe(page.marker !== undefined);
    if (!page.isTruncated) return { pages, items: pages.flat() };
    marker = page.marker;
  }
  throw new Error('paging did not terminate');
}

export async function settle<T>(promises: Array<Promise<T>>) {
  const results = await Promise.allSettled(promises);
  return {
    ok: results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled').map((r) => r.value),
    errors: results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown),
  };
}
