/**
 * Check `root-recent-use`: The root user was used recently.
 */
import { assessed, notAssessed, NEED_REPORT, type Check } from './check.js';
import { rootRef, credentialReport } from './credential-report-refs.js';

/** Root use newer than this many days is reported (CIS 1.7 names no period; 90 days is the credential report's horizon here). */
export const ROOT_RECENT_USE_DAYS = 90;

export const rootRecentUse: Check = {
  id: 'root-recent-use',
  practice: 1,
  title: 'The root user was used recently',
  run(ctx) {
    const r = credentialReport(ctx);
    if (!r) return notAssessed(NEED_REPORT);
    const root = r.rows.find((x) => x.isRoot);
    if (!root) return notAssessed('the credential report has no `<root_account>` row');
    const uses = [root.passwordLastUsed, ...root.accessKeys.map((k) => k.lastUsed)].filter((d): d is string => d !== undefined);
    const recent = uses.map((d) => ({ d, days: ctx.daysSince(d) })).filter((u) => u.days !== undefined && u.days <= ROOT_RECENT_USE_DAYS);
    if (recent.length === 0) return assessed([]);
    const last = recent.sort((a, b) => a.days! - b.days!)[0]!;
    return assessed([
      {
        checkId: this.id,
        practice: 1,
        severity: 'high',
        title: this.title,
        entities: [rootRef],
        why: 'Daily work as root leaves no room for least privilege and puts the most powerful credential at risk.',
        fix: { kind: 'manual', description: 'Create an administrator role or IAM Identity Center user for daily work, and keep root for the few tasks that require it.' },
        details: `last used ${last.d} (${last.days} days ago)`,
        cis: '1.7',
        prowler: ['iam_avoid_root_usage'],
      },
    ]);
  },
};
