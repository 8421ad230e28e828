/**
 * Check `access-key-rotation`: An active access key is older than ${KEY_ROTATION_DAYS} days.
 */
import type { Finding } from '../types.js';
import { assessed, notAssessed, shellQuote, NEED_REPORT, type Check } from './check.js';
import { userRef, credentialReport } from './credential-report-refs.js';

/** CIS 1.14. */
export const KEY_ROTATION_DAYS = 90;

export const accessKeyRotation: Check = {
  id: 'access-key-rotation',
  practice: 7,
  title: `An active access key is older than ${KEY_ROTATION_DAYS} days`,
  run(ctx) {
    const r = credentialReport(ctx);
    if (!r) return notAssessed(NEED_REPORT);
    const findings: Finding[] = [];
    for (const u of r.rows) {
      if (u.isRoot) continue;
      for (const k of u.accessKeys) {
        const age = ctx.daysSince(k.lastRotated);
        if (!k.active || age === undefined || age <= KEY_ROTATION_DAYS) continue;
        findings.push({
          checkId: this.id,
          practice: 7,
          severity: age > 2 * KEY_ROTATION_DAYS ? 'high' : 'medium',
          title: this.title,
          entities: [userRef(u)],
          why: 'The longer a key lives, the more places it may have leaked to.',
          fix: {
            kind: 'command',
            command: `aws iam create-access-key --user-name ${shellQuote(u.user)}  # switch clients to the new key, then: aws iam update-access-key --user-name ${shellQuote(u.user)} --access-key-id OLD_KEY_ID --status Inactive`,
          },
          details: `access key ${k.slot} created ${k.lastRotated} (${age} days ago)`,
          cis: '1.14',
          prowler: ['iam_rotate_access_key_90_days'],
        });
      }
    }
    return assessed(findings);
  },
};
