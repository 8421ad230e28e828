/**
 * Check `console-user-mfa`: A user with a console password has no MFA.
 */
import { accountOf } from '../inputs/authorization-details.js';
import { assessed, notAssessed, shellQuote, NEED_REPORT, type Check } from './check.js';
import { userRef, credentialReport } from './credential-report-refs.js';

export const consoleUsersMfa: Check = {
  id: 'console-user-mfa',
  practice: 9,
  title: 'A user with a console password has no MFA',
  run(ctx) {
    const r = credentialReport(ctx);
    if (!r) return notAssessed(NEED_REPORT);
    return assessed(
      r.rows
        .filter((u) => !u.isRoot && u.passwordEnabled && !u.mfaActive)
        .map((u) => ({
          checkId: this.id,
          practice: 9 as const,
          severity: 'high' as const,
          title: this.title,
          entities: [userRef(u)],
          why: 'A stolen or guessed password is enough to sign in as this user.',
          fix: {
            kind: 'command' as const,
            command: `aws iam create-virtual-mfa-device --virtual-mfa-device-name ${shellQuote(u.user)} --outfile ${shellQuote(`${u.user}-mfa.png`)} --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name ${shellQuote(u.user)} --serial-number ${shellQuote(`arn:aws:iam::${accountOf(u.arn) ?? 'ACCOUNT_ID'}:mfa/${u.user}`)} --authentication-code1 CODE1 --authentication-code2 CODE2`,
          },
          cis: '1.10',
          prowler: ['iam_user_mfa_enabled_console_access'],
        })),
    );
  },
};
