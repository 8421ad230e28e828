/**
 * Checks over the credential report and the account summary: root usage, MFA, key rotation
 * and unused credentials (practices 1, 7, 8 and 9).
 */
import type { CredentialReportRow } from '../inputs/credential-report.js';
import { accountOf } from '../inputs/authorization-details.js';
import type { EntityRef, Finding } from '../types.js';
import { assessed, notAssessed, shellQuote, NEED_REPORT, type Check, type CheckContext } from './check.js';

/** Root use newer than this many days is reported (CIS 1.7 names no period; 90 days is the credential report's horizon here). */
export const ROOT_RECENT_USE_DAYS = 90;
/** CIS 1.14. */
export const KEY_ROTATION_DAYS = 90;
/** CIS 1.12; and a second, higher-severity threshold. */
export const UNUSED_DAYS = 45;
export const LONG_UNUSED_DAYS = 90;

const rootRef: EntityRef = { type: 'root', name: '<root_account>' };
const userRef = (r: CredentialReportRow): EntityRef => ({ type: 'user', name: r.user, arn: r.arn });

function report(ctx: CheckContext) {
  return ctx.inputs.credentialReport;
}

export const rootAccessKeys: Check = {
  id: 'root-access-keys',
  practice: 1,
  title: 'The root user has access keys',
  run(ctx) {
    const root = report(ctx)?.rows.find((r) => r.isRoot);
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
        fix: { kind: 'manual', description: "Sign in as root, open Security credentials, make each access key inactive and delete it (root's keys cannot be deleted with another principal's credentials)." },
        cis: '1.4',
        prowler: ['iam_no_root_access_key'],
      },
    ]);
  },
};

export const rootRecentUse: Check = {
  id: 'root-recent-use',
  practice: 1,
  title: 'The root user was used recently',
  run(ctx) {
    const r = report(ctx);
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

export const rootMfa: Check = {
  id: 'root-mfa',
  practice: 9,
  title: 'The root user has no MFA',
  run(ctx) {
    const root = report(ctx)?.rows.find((r) => r.isRoot);
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
        fix: { kind: 'manual', description: "Sign in as root and assign an MFA device under Security credentials (a root user's MFA cannot be managed by another principal)." },
        cis: '1.5',
        prowler: ['iam_root_mfa_enabled'],
      },
    ]);
  },
};

export const consoleUsersMfa: Check = {
  id: 'console-user-mfa',
  practice: 9,
  title: 'A user with a console password has no MFA',
  run(ctx) {
    const r = report(ctx);
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

export const accessKeyRotation: Check = {
  id: 'access-key-rotation',
  practice: 7,
  title: `An active access key is older than ${KEY_ROTATION_DAYS} days`,
  run(ctx) {
    const r = report(ctx);
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

export const twoActiveKeys: Check = {
  id: 'two-active-access-keys',
  practice: 7,
  title: 'A user has two active access keys',
  run(ctx) {
    const r = report(ctx);
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

export const unusedCredentials: Check = {
  id: 'unused-credentials',
  practice: 8,
  title: `Credentials unused for ${UNUSED_DAYS} days or more`,
  run(ctx) {
    const r = report(ctx);
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
