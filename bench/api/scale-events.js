// The audit events `--scale` seeds: a deterministic mix of the account's everyday calls by its
// users, built by the server's own `toNewAuditEvent`, so rows are what the running server stores.
import { toNewAuditEvent } from '../../packages/server/dist/audit/index.js';
import { seededId } from './seeded-id.js';

/** [eventSource, global, eventName, readOnly, request(user)] */
const CALLS = [
  ['iam.amazonaws.com', true, 'GetUser', true, (user) => ({ userName: user })],
  ['sts.amazonaws.com', false, 'GetCallerIdentity', true, () => undefined],
  ['iam.amazonaws.com', true, 'ListUsers', true, () => ({ maxItems: 100 })],
  ['iam.amazonaws.com', true, 'ListAttachedUserPolicies', true, (user) => ({ userName: user })],
  ['iam.amazonaws.com', true, 'TagUser', false, (user) => ({ userName: user, tags: [{ key: 'team', value: 'platform' }] })],
];

// Ids ascend with `n` so that 1,000,000 inserts append to the event-id index rather than land at
// random in it (random v4 UUIDs make the seeding, not the reads, several times slower).
const uuidOf = (n, salt) => {
  const hex = n.toString(16).padStart(12, '0');
  return `0000${salt.toString(16).padStart(4, '0')}-0000-4000-a000-${hex}`;
};

/**
 * Event `i` of `total`, spread over the 30 days before `end`, by one of `users` users
 * (`scale-user-NNNNNN`, as the seeded users are named); ids numbered from `idBase` as the users'.
 */
export function scaleEvent({ accountId, i, total, users, end, idBase = 0 }) {
  const [eventSource, global, eventName, readOnly, request] = CALLS[i % CALLS.length];
  const k = (i * 7919) % users;
  const userName = `scale-user-${String(k).padStart(6, '0')}`;
  const span = 30 * 24 * 3600 * 1000;
  const req = request(userName);
  return toNewAuditEvent({
    eventId: uuidOf(idBase + i, 1),
    requestId: uuidOf(idBase + i, 2),
    eventTime: new Date(end - span + Math.floor((i / total) * span)),
    service: eventSource.split('.')[0],
    eventSource,
    global,
    eventName,
    region: 'us-east-1',
    sourceIp: '203.0.113.17',
    userAgent: 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0',
    caller: { type: 'IAMUser', accountId, arn: `arn:aws:iam::${accountId}:user/scale/${userName}`, principalId: seededId('AIDA', idBase + k), userName, accessKeyId: seededId('AKIA', idBase + k).slice(0, 20), mfaAuthenticated: false },
    accountId,
    ...(req ? { request: req } : {}),
    readOnly,
  });
}
