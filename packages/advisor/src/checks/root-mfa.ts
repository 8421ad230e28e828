/**
 * Check `root-mfa`: The root user has no MFA.
 */
import { assessed, notAssessed, type Check } from './check.js';
import { rootRef, credentialReport } from './credential-report-refs.js';

export const rootMfa: Check = {
  id: 'root-mfa',
  practice: 9,
  title: 'The root user has no MFA',
  run(ctx) {
    const root = credentialReport(ctx)?.rows.find((r) => r.isRoot);
    const summary = ctx.inputs.accountSummary?.['AccountMFAEnabled'];
    if (!root && summary === undefined) return notAssessed('needs `aws iam get-credential-report` or `aws iam get-account-summary`');
    const mfa = root ? root.mfaActive : summary! > 0;
    if (mfa) return assessed([]);
    return assessed([
      {
        checkId: this.id,
        practice: 9,
        severity: 'critical',
        title: this.title,
        entities: [rootRef],
        why: "Without MFA, the root password alone gives unrestricted control of the account.",
        fix: {
          kind: 'manual',
          description:
            "On Castellan, the operator runs `castellan root enable-mfa --data-dir DIR` (it shows a QR code for an authenticator app and reads two consecutive codes); on AWS, sign in as root and assign an MFA device under Security credentials. No other principal can manage a root user's MFA.",
        },
        cis: '1.5',
        prowler: ['iam_root_mfa_enabled'],
      },
    ]);
  },
};
