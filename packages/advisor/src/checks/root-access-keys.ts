/**
 * Check `root-access-keys`: The root user has access keys.
 */
import { assessed, notAssessed, type Check } from './check.js';
import { rootRef, credentialReport } from './credential-report-refs.js';

export const rootAccessKeys: Check = {
  id: 'root-access-keys',
  practice: 1,
  title: 'The root user has access keys',
  run(ctx) {
    const root = credentialReport(ctx)?.rows.find((r) => r.isRoot);
    const summary = ctx.inputs.accountSummary?.['AccountAccessKeysPresent'];
    if (!root && summary === undefined) return notAssessed('needs `aws iam get-credential-report` or `aws iam get-account-summary`');
    const active = root ? root.accessKeys.some((k) => k.active) : summary! > 0;
    if (!active) return assessed([]);
    return assessed([
      {
        checkId: this.id,
        practice: 1,
        severity: 'critical',
        title: this.title,
        entities: [rootRef],
        why: 'Root keys cannot be limited by any policy, so whoever holds one controls the whole account.',
        fix: {
          kind: 'manual',
          description:
            "Make each root access key inactive and delete it, signed with root's own key (`aws iam delete-access-key --access-key-id AKIA…`; on AWS also from root's Security credentials page): another principal's credentials cannot. On Castellan a restart does not make a new one; `castellan root create-access-key` does, when one is needed again.",
        },
        cis: '1.4',
        prowler: ['iam_no_root_access_key'],
      },
    ]);
  },
};
