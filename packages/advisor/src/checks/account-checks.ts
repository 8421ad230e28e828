/**
 * Checks over account settings and the audit trail: the password policy (practice 6), CloudTrail
 * events (practice 5), and long-term keys used from compute (practice 11).
 */
import type { PasswordPolicy } from '../inputs/account-settings.js';
import type { Finding, Severity } from '../types.js';
import { assessed, notAssessed, shellQuote, type Check } from './check.js';

/** CIS 1.8 and 1.9. */
export const MIN_PASSWORD_LENGTH = 14;
export const PASSWORD_REUSE_PREVENTION = 24;
/** Newest event older than this many days: the trail is not being written or exported. */
export const TRAIL_RECENT_DAYS = 7;

const NEED_PASSWORD_POLICY = 'needs `aws iam get-account-password-policy` (its output, or its NoSuchEntity error captured with 2>&1)';
const NEED_TRAIL = 'needs CloudTrail log files';

/** The command that sets `policy` with the CIS minimums applied (update-account-password-policy replaces the whole policy). */
function passwordPolicyCommand(policy: PasswordPolicy): string {
  const parts = [
    'aws iam update-account-password-policy',
    `--minimum-password-length ${Math.max(policy.minimumPasswordLength ?? 0, MIN_PASSWORD_LENGTH)}`,
    `--password-reuse-prevention ${Math.max(policy.passwordReusePrevention ?? 0, PASSWORD_REUSE_PREVENTION)}`,
    '--require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters',
  ];
  if (policy.maxPasswordAge) parts.push(`--max-password-age ${policy.maxPasswordAge}`);
  return parts.join(' ');
}

export const passwordPolicy: Check = {
  id: 'password-policy',
  practice: 6,
  title: 'The password policy is missing or weak',
  run(ctx) {
    const input = ctx.inputs.passwordPolicy;
    if (!input) return notAssessed(NEED_PASSWORD_POLICY);
    const base = { checkId: this.id, practice: 6 as const, entities: [{ type: 'account' as const, name: ctx.inputs.authorizationDetails?.accountId ?? 'account' }] };
    if (input.kind === 'none') {
      return assessed([
        { ...base, severity: 'high', title: 'The account has no password policy', why: "Users may choose AWS's minimum: eight characters of any kind, reused forever.", fix: { kind: 'command', command: passwordPolicyCommand({}) }, cis: '1.8', prowler: ['iam_password_policy_minimum_length_14'] },
      ]);
    }
    const p = input.policy;
    const fix = { kind: 'command' as const, command: passwordPolicyCommand(p) };
    const findings: Finding[] = [];
    const add = (severity: Severity, title: string, why: string, extra: Partial<Finding>): void => {
      findings.push({ ...base, severity, title, why, fix, ...extra });
    };
    if ((p.minimumPasswordLength ?? 0) < MIN_PASSWORD_LENGTH) add('medium', `Passwords may be shorter than ${MIN_PASSWORD_LENGTH} characters`, 'Short passwords fall to guessing and offline cracking.', { cis: '1.8', prowler: ['iam_password_policy_minimum_length_14'], details: `minimum length ${p.minimumPasswordLength ?? 'not set'}` });
    if ((p.passwordReusePrevention ?? 0) < PASSWORD_REUSE_PREVENTION) add('medium', `Passwords may be reused within the last ${PASSWORD_REUSE_PREVENTION}`, 'A reused password brings back whatever leaked with it before.', { cis: '1.9', prowler: ['iam_password_policy_reuse_24'], details: `reuse prevention ${p.passwordReusePrevention ?? 'not set'}` });
    const classes: [keyof PasswordPolicy, string, string][] = [
      ['requireSymbols', 'a symbol', 'iam_password_policy_symbol'],
      ['requireNumbers', 'a number', 'iam_password_policy_number'],
      ['requireUppercaseCharacters', 'an uppercase letter', 'iam_password_policy_uppercase'],
      ['requireLowercaseCharacters', 'a lowercase letter', 'iam_password_policy_lowercase'],
    ];
    for (const [key, what, prowler] of classes) if (!p[key]) add('low', `Passwords need not contain ${what}`, 'Fewer character classes make passwords easier to guess.', { prowler: [prowler] });
    return assessed(findings);
  },
};

export const auditTrail: Check = {
  id: 'audit-trail',
  practice: 5,
  title: 'The audit trail has no recent events',
  run(ctx) {
    const trail = ctx.inputs.trail;
    if (!trail) return notAssessed(NEED_TRAIL);
    const base = { checkId: this.id, practice: 5 as const, entities: [{ type: 'trail' as const, name: 'CloudTrail log files' }], cis: '3.1', prowler: ['cloudtrail_multi_region_enabled'] };
    const fix = { kind: 'command' as const, command: 'aws cloudtrail create-trail --name account-trail --s3-bucket-name BUCKET --is-multi-region-trail --enable-log-file-validation && aws cloudtrail start-logging --name account-trail' };
    if (trail.length === 0) return assessed([{ ...base, severity: 'high', title: 'The CloudTrail files given contain no events', why: 'Without a trail, nobody can tell who did what, or prove that nothing happened.', fix }]);
    const newest = trail.reduce((m, r) => (r.eventTime > m ? r.eventTime : m), trail[0]!.eventTime);
    const days = ctx.daysSince(newest);
    if (days === undefined || days <= TRAIL_RECENT_DAYS) return assessed([]);
    return assessed([{ ...base, severity: 'medium', title: this.title, why: 'A trail that stopped being written or exported leaves the latest changes unaccounted for.', fix, details: `newest event ${newest} (${days} days ago)` }]);
  },
};

/** AWS SDKs add `exec-env/AWS_Lambda_…` (or `md/exec-env#…`) to the user agent inside AWS compute. */
const COMPUTE_USER_AGENT = /exec-env[/#](AWS_(?:Lambda|ECS|Fargate|ECS_FARGATE|ECS_EC2)[^\s]*)/i;

export const workloadLongTermKeys: Check = {
  id: 'workload-long-term-keys',
  practice: 11,
  title: "A user's long-term access key is used from AWS compute",
  run(ctx) {
    const trail = ctx.inputs.trail;
    if (!trail) return notAssessed(`${NEED_TRAIL} (the user agent shows calls from Lambda and ECS; calls from EC2 cannot be told apart)`);
    const byUser = new Map<string, { arn: string; env: Set<string>; keys: Set<string> }>();
    for (const r of trail) {
      if (r.identity.type !== 'IAMUser' || !r.identity.arn || !r.identity.accessKeyId?.startsWith('AKIA')) continue;
      const m = COMPUTE_USER_AGENT.exec(r.userAgent ?? '');
      if (!m) continue;
      const e = byUser.get(r.identity.arn) ?? { arn: r.identity.arn, env: new Set<string>(), keys: new Set<string>() };
      e.env.add(m[1]!);
      e.keys.add(r.identity.accessKeyId);
      byUser.set(r.identity.arn, e);
    }
    return assessed(
      [...byUser.values()].map((u) => {
        const name = u.arn.slice(u.arn.lastIndexOf('/') + 1);
        return {
          checkId: this.id,
          practice: 11 as const,
          severity: 'medium' as const,
          title: this.title,
          entities: [{ type: 'user' as const, name, arn: u.arn }, ...[...u.keys].map((k) => ({ type: 'accessKey' as const, name: k }))],
          why: 'A key baked into a workload never expires and leaks with its configuration; the execution role gives temporary credentials instead.',
          fix: { kind: 'command' as const, command: `aws iam update-access-key --user-name ${shellQuote(name)} --access-key-id ${[...u.keys][0]} --status Inactive  # after giving the function or task an execution role` },
          details: `called from ${[...u.env].join(', ')}`,
        };
      }),
    );
  },
};
