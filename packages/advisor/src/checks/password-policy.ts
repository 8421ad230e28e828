/**
 * Check `password-policy`: The password policy is missing or weak.
 */
import type { PasswordPolicy } from '../inputs/account-settings.js';
import type { Finding, Severity } from '../types.js';
import { assessed, notAssessed, type Check } from './check.js';

/** CIS 1.8 and 1.9. */
export const MIN_PASSWORD_LENGTH = 14;
export const PASSWORD_REUSE_PREVENTION = 24;

const NEED_PASSWORD_POLICY = 'needs `aws iam get-account-password-policy` (its output, or its NoSuchEntity error captured with 2>&1)';

/** The CLI flags of the password policy's yes/no settings, in the order the command lists them. */
const FLAGS: ReadonlyArray<readonly [keyof PasswordPolicy, string]> = [
  ['requireSymbols', '--require-symbols'],
  ['requireNumbers', '--require-numbers'],
  ['requireUppercaseCharacters', '--require-uppercase-characters'],
  ['requireLowercaseCharacters', '--require-lowercase-characters'],
  ['allowUsersToChangePassword', '--allow-users-to-change-password'],
  ['hardExpiry', '--hard-expiry'],
];

/** Every CIS minimum at once: what an account without a password policy is offered. */
const CIS_MINIMUMS: PasswordPolicy = {
  minimumPasswordLength: MIN_PASSWORD_LENGTH,
  passwordReusePrevention: PASSWORD_REUSE_PREVENTION,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
};

/**
 * The command that sets `current` with `raised` applied. UpdateAccountPasswordPolicy has no partial
 * update (a parameter left out reverts to its default: AllowUsersToChangePassword and HardExpiry to
 * false, the rest to none), so every current setting is repeated and only what the finding is about changes.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html
 */
function passwordPolicyCommand(current: PasswordPolicy, raised: PasswordPolicy): string {
  const p: PasswordPolicy = { ...current, ...raised };
  const parts = ['aws iam update-account-password-policy'];
  if (p.minimumPasswordLength !== undefined) parts.push(`--minimum-password-length ${p.minimumPasswordLength}`);
  if (p.passwordReusePrevention) parts.push(`--password-reuse-prevention ${p.passwordReusePrevention}`);
  for (const [key, flag] of FLAGS) if (p[key] === true) parts.push(flag);
  if (p.maxPasswordAge) parts.push(`--max-password-age ${p.maxPasswordAge}`);
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
        { ...base, severity: 'high', title: 'The account has no password policy', why: "Users may choose AWS's minimum: eight characters of any kind, reused forever.", fix: { kind: 'command', command: passwordPolicyCommand({}, CIS_MINIMUMS) }, cis: '1.8', prowler: ['iam_password_policy_minimum_length_14'] },
      ]);
    }
    const p = input.policy;
    const findings: Finding[] = [];
    const add = (raised: PasswordPolicy, severity: Severity, title: string, why: string, extra: Partial<Finding>): void => {
      findings.push({ ...base, severity, title, why, fix: { kind: 'command', command: passwordPolicyCommand(p, raised) }, ...extra });
    };
    if ((p.minimumPasswordLength ?? 0) < MIN_PASSWORD_LENGTH) add({ minimumPasswordLength: MIN_PASSWORD_LENGTH }, 'medium', `Passwords may be shorter than ${MIN_PASSWORD_LENGTH} characters`, 'Short passwords fall to guessing and offline cracking.', { cis: '1.8', prowler: ['iam_password_policy_minimum_length_14'], details: `minimum length ${p.minimumPasswordLength ?? 'not set'}` });
    if ((p.passwordReusePrevention ?? 0) < PASSWORD_REUSE_PREVENTION) add({ passwordReusePrevention: PASSWORD_REUSE_PREVENTION }, 'medium', `Passwords may be reused within the last ${PASSWORD_REUSE_PREVENTION}`, 'A reused password brings back whatever leaked with it before.', { cis: '1.9', prowler: ['iam_password_policy_reuse_24'], details: `reuse prevention ${p.passwordReusePrevention ?? 'not set'}` });
    const classes: [keyof PasswordPolicy, string, string][] = [
      ['requireSymbols', 'a symbol', 'iam_password_policy_symbol'],
      ['requireNumbers', 'a number', 'iam_password_policy_number'],
      ['requireUppercaseCharacters', 'an uppercase letter', 'iam_password_policy_uppercase'],
      ['requireLowercaseCharacters', 'a lowercase letter', 'iam_password_policy_lowercase'],
    ];
    for (const [key, what, prowler] of classes) if (!p[key]) add({ [key]: true }, 'low', `Passwords need not contain ${what}`, 'Fewer character classes make passwords easier to guess.', { prowler: [prowler] });
    return assessed(findings);
  },
};
