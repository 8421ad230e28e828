// `--scale`: fills the benchmark's account through the built server's store API (much faster
// than the wire): users, customer managed policies and audit events. The store does not enforce
// the per-account quotas (services do, and `domain/quotas.ts` has no setting to raise them yet),
// so seeding past AWS's default 5,000 users and 1,500 policies works here and nowhere else.
import { SecretBox } from '../../packages/server/dist/crypto/secret-box.js';
import { createStore } from '../../packages/server/dist/store/create-store.js';
import { scaleEvent } from './scale-events.js';
import { seededId } from './seeded-id.js';

const POLICY_DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::team-bucket/*' }] });

/** Runs `fn(i)` for `count` items in transactions of `batch`, logging progress to stderr. */
async function inBatches(store, label, count, batch, fn) {
  const t0 = Date.now();
  for (let start = 0; start < count; start += batch) {
    const end = Math.min(count, start + batch);
    await store.transaction(async (tx) => {
      for (let i = start; i < end; i++) await fn(tx, i);
    });
    if ((end / batch) % 10 === 0 || end === count) console.error(`  ${label}: ${end.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
}

/**
 * Seeds `users` users, `policies` customer managed policies and `events` audit events into
 * `accountId`, in the database described by `storeConfig`, encrypted with `masterKey`.
 */
export async function seedScale({ storeConfig, masterKey, accountId, users, policies, events }) {
  const store = await createStore(storeConfig, { secretBox: new SecretBox(masterKey) });
  try {
    const createDate = new Date();
    await inBatches(store, 'users', users, 2000, (tx, i) => {
      const name = `scale-user-${String(i).padStart(6, '0')}`;
      return tx.createUser({ accountId, id: seededId('AIDA', i), name, path: '/scale/', arn: `arn:aws:iam::${accountId}:user/scale/${name}`, createDate });
    });
    await inBatches(store, 'policies', policies, 2000, (tx, i) => {
      const name = `scale-policy-${String(i).padStart(6, '0')}`;
      return tx.createPolicy({ accountId, id: seededId('ANPA', i), name, path: '/scale/', arn: `arn:aws:iam::${accountId}:policy/scale/${name}`, createDate, document: POLICY_DOC });
    });
    const t0 = Date.now();
    const end = createDate.getTime() - 60_000;
    let next = 0.1;
    for (let start = 0; start < events; start += 10_000) {
      const rows = [];
      for (let i = start; i < Math.min(events, start + 10_000); i++) rows.push(scaleEvent({ accountId, i, total: events, users, end }));
      await store.appendAuditEvents(rows);
      const done = start + rows.length;
      if (done / events >= next || done === events) {
        console.error(`  audit events: ${done.toLocaleString('en-US')} of ${events.toLocaleString('en-US')} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        next += 0.1;
      }
    }
  } finally {
    await store.close();
  }
}
