/**
 * Check `audit-trail`: The audit trail has no recent events.
 */
import { assessed, notAssessed, NEED_TRAIL, type Check } from './check.js';

/** Newest event older than this many days: the trail is not being written or exported. */
export const TRAIL_RECENT_DAYS = 7;

export const auditTrail: Check = {
  id: 'audit-trail',
  practice: 5,
  title: 'The audit trail has no recent events',
  run(ctx) {
    const trail = ctx.inputs.trail;
    if (!trail) return notAssessed(NEED_TRAIL);
    const base = { checkId: this.id, practice: 5 as const, entities: [{ type: 'trail' as const, name: 'CloudTrail' }], cis: '3.1', prowler: ['cloudtrail_multi_region_enabled'] };
    const fix = { kind: 'command' as const, command: 'aws cloudtrail create-trail --name account-trail --s3-bucket-name BUCKET --is-multi-region-trail --enable-log-file-validation && aws cloudtrail start-logging --name account-trail' };
    if (trail.length === 0) return assessed([{ ...base, severity: 'high', title: 'The trail read (log files or LookupEvents) holds no events', why: 'Without a trail, nobody can tell who did what, or prove that nothing happened.', fix }]);
    const newest = trail.reduce((m, r) => (r.eventTime > m ? r.eventTime : m), trail[0]!.eventTime);
    const days = ctx.daysSince(newest);
    if (days === undefined || days <= TRAIL_RECENT_DAYS) return assessed([]);
    return assessed([{ ...base, severity: 'medium', title: this.title, why: 'A trail that stopped being written or exported leaves the latest changes unaccounted for.', fix, details: `newest event ${newest} (${days} days ago)` }]);
  },
};
