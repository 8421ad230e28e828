/**
 * Check `two-active-access-keys`: A user has two active access keys.
 */
import { assessed, notAssessed, shellQuote, NEED_REPORT, type Check } from './check.js';
import { userRef, credentialReport } from './credential-report-refs.js';

export const twoActiveKeys: Check = {
  id: 'two-active-access-keys',
  practice: 7,
  title: 'A user has two active access keys',
  run(ctx) {
    const r = credentialReport(ctx);
    if (!r) return notAssessed(NEED_REPORT);
    return assessed(
      r.rows
        .filter((u) => !u.isRoot && u.accessKeys.every((k) => k.active))
        .map((u) => ({
          checkId: this.id,
          practice: 7 as const,
          severity: 'medium' as const,
          title: this.title,
          entities: [userRef(u)],
          why: 'Two live keys double the credentials to protect; only rotation needs both, and only briefly.',
          fix: { kind: 'command' as const, command: `aws iam list-access-keys --user-name ${shellQuote(u.user)}  # then: aws iam update-access-key --user-name ${shellQuote(u.user)} --access-key-id UNUSED_KEY_ID --status Inactive` },
          cis: '1.13',
          prowler: ['iam_user_two_active_access_key'],
        })),
    );
  },
};
