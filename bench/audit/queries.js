// The audit benchmark's queries: LookupEvents shapes (no attribute, or one of the 8 lookup
// attributes; with or without a time range; first page or a deep page) with values drawn from the
// workload, and the naive peer that answers the same filter by scanning the table.
import { END_TIME, EVENT_NAMES, EVENT_SOURCES, RESOURCE_TYPES, START_TIME, rng } from './workload.js';

/** LookupEvents' `MaxResults` ceiling, which is also its default. */
export const PAGE_SIZE = 50;

/** `undefined` is "no lookup attribute". */
export const ATTRIBUTES = [undefined, 'EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'];

/** The name a query kind goes by in the output and the JSON. */
export const kindName = (attribute, ranged, page) => `${attribute ?? 'none'}:${ranged ? 'range' : 'all'}:${page}`;

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const pick = (r, list) => list[Math.floor(r() * list.length)];

/**
 * The query kinds, each with its sample queries (`{ accountId, attribute?, startTime?, endTime? }`),
 * drawn from a seeded generator so both dialects answer the same queries. `eventIds` are
 * `{ eventId, accountId, time }` seen while loading. EventId has no deep kinds: it matches one event.
 */
export function planQueries(world, eventIds, { samples, deepSamples, seed = 99 }) {
  const r = rng(seed);
  const kinds = [];
  for (const page of ['first', 'deep']) {
    for (const ranged of [false, true]) {
      for (const attribute of ATTRIBUTES) {
        if (attribute === 'EventId' && page === 'deep') continue;
        const queries = [];
        const n = page === 'first' ? samples : deepSamples;
        for (let i = 0; i < n; i++) queries.push(makeQuery(r, world, eventIds, attribute, ranged, page));
        kinds.push({ name: kindName(attribute, ranged, page), attribute, ranged, page, queries });
      }
    }
  }
  return kinds;
}

function makeQuery(r, world, eventIds, attribute, ranged, page) {
  let account = pick(r, world.accounts);
  let value;
  let around;
  switch (attribute) {
    case undefined: break;
    case 'EventId': {
      const e = pick(r, eventIds);
      account = world.accounts.find((a) => a.id === e.accountId);
      value = e.eventId;
      around = e.time;
      break;
    }
    case 'EventName': value = pick(r, EVENT_NAMES).name; break;
    case 'ReadOnly': value = r() < 0.5 ? 'true' : 'false'; break;
    // Users by name (IAM users, and people's role sessions, which carry their name), or root.
    case 'Username': value = r() < 0.05 ? 'root' : pick(r, account.users).name; break;
    case 'ResourceType': value = pick(r, RESOURCE_TYPES); break;
    case 'ResourceName': {
      const which = r();
      value = which < 0.4 ? pick(r, account.roles).name : which < 0.7 ? pick(r, account.users).name : pick(r, account.policies);
      break;
    }
    case 'EventSource': value = pick(r, EVENT_SOURCES); break;
    case 'AccessKeyId': value = pick(r, pick(r, account.users).keys); break;
    default: throw new Error(`unknown attribute ${attribute}`);
  }
  const q = { accountId: account.id, ...(attribute ? { attribute: { key: attribute, value } } : {}) };
  if (ranged) {
    // Windows people ask for: the last hour, day, week or month somewhere in the 90 days. Deep
    // pages need enough events to reach, so they get the longer windows.
    const length = page === 'deep' ? pick(r, [DAY, 7 * DAY, 30 * DAY]) : pick(r, [HOUR, DAY, 7 * DAY, 30 * DAY]);
    const start = around !== undefined
      ? around - Math.floor(r() * length)
      : START_TIME + Math.floor(r() * (END_TIME - START_TIME - length));
    q.startTime = new Date(start);
    q.endTime = new Date(start + length);
  }
  return q;
}

const COLUMNS = { EventId: 'event_id', EventName: 'event_name', ReadOnly: 'read_only', Username: 'username', EventSource: 'event_source', AccessKeyId: 'access_key_id' };

/**
 * The naive answer to a lookup's first page: the same filter and order, with every index of the
 * audit tables forbidden (SQLite `NOT INDEXED`; PostgreSQL with index and bitmap scans disabled
 * for the statement's transaction), so the database scans the whole table and keeps the newest
 * rows. Resource filters scan the resource table, then load their page's rows by primary key.
 * `db` is `{ all(text, params), scanOnly(fn) }` of the dialect. Returns the page's seqs, newest first.
 */
export async function naiveLookup(db, dialect, q) {
  const params = [];
  const p = (value) => {
    params.push(value);
    return dialect === 'sqlite' ? '?' : `$${params.length}`;
  };
  const notIndexed = dialect === 'sqlite' ? ' NOT INDEXED' : '';
  const where = [`account_id = ${p(q.accountId)}`];
  const key = q.attribute?.key;
  const resource = key === 'ResourceType' || key === 'ResourceName';
  if (key) {
    const column = resource ? (key === 'ResourceType' ? 'resource_type' : 'resource_name') : COLUMNS[key];
    const value = key === 'ReadOnly' ? (q.attribute.value === 'true' ? 1 : 0) : q.attribute.value;
    where.push(`${column} = ${p(value)}`);
  }
  if (q.startTime) where.push(`event_time >= ${p(q.startTime.getTime())}`);
  if (q.endTime) where.push(`event_time <= ${p(q.endTime.getTime())}`);
  const tail = `WHERE ${where.join(' AND ')} ORDER BY event_time DESC, seq DESC LIMIT ${PAGE_SIZE + 1}`;
  if (!resource) {
    const rows = await db.scanOnly(() => db.all(`SELECT * FROM audit_events${notIndexed} ${tail}`, params));
    return rows.slice(0, PAGE_SIZE).map((row) => Number(row.seq));
  }
  const hits = await db.scanOnly(() => db.all(`SELECT DISTINCT seq, event_time FROM audit_event_resources${notIndexed} ${tail}`, params));
  const seqs = hits.slice(0, PAGE_SIZE).map((row) => Number(row.seq));
  if (seqs.length === 0) return [];
  const rows = await db.all(`SELECT * FROM audit_events WHERE seq IN (${seqs.join(', ')})`, []);
  return rows
    .map((row) => ({ seq: Number(row.seq), time: Number(row.event_time) }))
    .sort((a, b) => b.time - a.time || b.seq - a.seq)
    .map((row) => row.seq);
}
