// `--scale`: fills the benchmark's account: users and customer managed policies with multi-row
// SQL inserts (scale-seed-sql.js), audit events through the built server's store API, which
// chains their hashes. The store does not enforce the per-account quotas (services do, from the
// server's `quotas` setting), so seeding past AWS's default 5,000 users and 1,500 policies needs
// no setting; the benchmark's server raises them all the same, as a deployment of this size would.
import { SecretBox } from '../../packages/server/dist/crypto/secret-box.js';
import { createStore } from '../../packages/server/dist/store/create-store.js';
import { openSqlSeeder } from './scale-seed-sql.js';
import { scaleEvent } from './scale-events.js';
import { seededId } from './seeded-id.js';

const POLICY_DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::team-bucket/*' }] });
const BATCH = 10_000;

const log = (label, done, count, t0) => console.error(`  ${label}: ${done.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

/**
 * Seeds users `[from.users, users)`, customer managed policies `[from.policies, policies)` and
 * audit events `[from.events, events)` into `accountId`, in the database described by
 * `storeConfig`, secrets encrypted with `masterKey`. Ids are numbered from `idBase` (ids are unique
 * across accounts, so each seeded account needs its own base). Answers the seconds each kind took.
 */
// Each row a second older than the one before (a real account's rows were not all created in the
// same millisecond), so a page writes as many different timestamps as a real one.
const createdAt = (at, i) => at - i * 1000;

export async function seedScale({ storeConfig, masterKey, accountId, users, policies, events, idBase = 0, from = { users: 0, policies: 0, events: 0 } }) {
  const seconds = {};
  const seeder = await openSqlSeeder(storeConfig);
  try {
    const at = Date.now();
    let t0 = Date.now();
    for (let start = from.users; start < users; start += BATCH) {
      const rows = [];
      for (let i = start; i < Math.min(users, start + BATCH); i++) {
        const name = `scale-user-${String(i).padStart(6, '0')}`;
        rows.push([seededId('AIDA', idBase + i), accountId, name, name.toLowerCase(), '/scale/', `arn:aws:iam::${accountId}:user/scale/${name}`, createdAt(at, i)]);
      }
      await seeder.insert('users', ['id', 'account_id', 'name', 'name_lower', 'path', 'arn', 'create_date'], rows);
      log('users', start + rows.length, users, t0);
    }
    seconds.users = (Date.now() - t0) / 1000;
    t0 = Date.now();
    for (let start = from.policies; start < policies; start += BATCH) {
      const rows = [];
      const versions = [];
      for (let i = start; i < Math.min(policies, start + BATCH); i++) {
        const name = `scale-policy-${String(i).padStart(6, '0')}`;
        const id = seededId('ANPA', idBase + i);
        rows.push([id, accountId, name, name.toLowerCase(), '/scale/', `arn:aws:iam::${accountId}:policy/scale/${name}`, 'v1', 1, createdAt(at, i), createdAt(at, i)]);
        versions.push([id, 'v1', 1, POLICY_DOC, createdAt(at, i)]);
      }
      await seeder.insert('managed_policies', ['id', 'account_id', 'name', 'name_lower', 'path', 'arn', 'default_version_id', 'last_version_number', 'create_date', 'update_date'], rows);
      await seeder.insert('policy_versions', ['policy_id', 'version_id', 'version_number', 'document', 'create_date'], versions);
      log('policies', start + rows.length, policies, t0);
    }
    seconds.policies = (Date.now() - t0) / 1000;
  } finally {
    await seeder.close();
  }

  // Events go through the store (it chains their hashes) with the audit tables' secondary
  // indexes dropped meanwhile and built again at the end, when there are many.
  const indexer = await openSqlSeeder(storeConfig);
  const restoreIndexes = events - from.events >= 100_000 ? await indexer.dropIndexes(['audit_events', 'audit_event_resources']) : async () => {};
  const store = await createStore(storeConfig, { secretBox: new SecretBox(masterKey) });
  const t0 = Date.now();
  try {
    const end = Date.now() - 60_000;
    let next = from.events + 0.1 * (events - from.events);
    for (let start = from.events; start < events; start += BATCH) {
      const rows = [];
      for (let i = start; i < Math.min(events, start + BATCH); i++) rows.push(scaleEvent({ accountId, i, total: events, users, end, idBase }));
      await store.appendAuditEvents(rows);
      const done = start + rows.length;
      if (done >= next || done === events) {
        log('audit events', done, events, t0);
        next += 0.1 * (events - from.events);
      }
    }
  } finally {
    await store.close();
    try {
      await restoreIndexes();
    } finally {
      await indexer.close();
    }
  }
  seconds.events = (Date.now() - t0) / 1000;
  const analyzer = await openSqlSeeder(storeConfig);
  try {
    await analyzer.analyze();
  } finally {
    await analyzer.close();
  }
  return seconds;
}
