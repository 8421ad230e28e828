/**
 * Check `unused-credentials`: Credentials unused for ${UNUSED_DAYS} days or more.
 */
import type { CredentialReportRow } from '../inputs/credential-report.js';
import type { Finding } from '../types.js';
import { assessed, notAssessed, shellQuote, NEED_REPORT, type Check } from './check.js';
import { userRef, credentialReport } from './credential-report-refs.js';

/** CIS 1.12; and a second, higher-severity threshold. */
export const UNUSED_DAYS = 45;
export const LONG_UNUSED_DAYS = 90;

export const unusedCredentials: Check = {
  id: 'unused-credentials',
  practice: 8,
  title: `Credentials unused for ${UNUSED_DAYS} days or more`,
  run(ctx) {
    const r = credentialReport(ctx);
    if (!r) return notAssessed(NEED_REPORT);
    const findings: Finding[] = [];
    const add = (u: CredentialReportRow, what: string, days: number, fix: string, prowler: string): void => {
      findings.push({
        checkId: this.id,
        practice: 8,
        severity: days >= LONG_UNUSED_DAYS ? 'medium' : 'low',
        title: `${what} unused for ${days >= LONG_UNUSED_DAYS ? LONG_UNUSED_DAYS : UNUSED_DAYS} days or more`,
        entities: [userRef(u)],
        why: 'A credential nobody uses is one nobody will notice being misused.',
        fix: { kind: 'command', command: fix },
        details: `${what} not used for ${days} days`,
        cis: '1.12',
        prowler: [prowler],
      });
    };
    for (const u of r.rows) {
      if (u.isRoot) continue;
      if (u.passwordEnabled) {
        // CIS 1.12: a password never used counts from when it was set.
        const days = ctx.daysSince(u.passwordLastUsed ?? u.passwordLastChanged ?? u.userCreationTime);
        if (days !== undefined && days >= UNUSED_DAYS) add(u, 'console password', days, `aws iam delete-login-profile --user-name ${shellQuote(u.user)}`, 'iam_user_console_access_unused');
      }
      for (const k of u.accessKeys) {
        if (!k.active) continue;
        const days = ctx.daysSince(k.lastUsed ?? k.lastRotated);
        if (days !== undefined && days >= UNUSED_DAYS) add(u, `access key ${k.slot}`, days, `aws iam update-access-key --user-name ${shellQuote(u.user)} --access-key-id KEY_ID --status Inactive`, 'iam_user_accesskey_unused');
      }
    }
    return assessed(findings);
  },
};
