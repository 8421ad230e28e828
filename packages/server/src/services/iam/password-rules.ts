/**
 * The rules a new password must satisfy, in AWS's words: the account's policy, or AWS's default
 * rules while the account has none. Pure: the reuse check (which needs the stored hashes) is in
 * `login-profiles.ts`.
 *
 * @module
 */
import type { PasswordPolicy } from '../../domain/iam-entities.js';
import { parseStoredPolicy } from './password-policy.js';

/** The password rules that apply to an account (the `UpdateAccountPasswordPolicy` fields that constrain a password). */
export interface PasswordRules {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  /** AWS's default policy: at least three of the four character classes, and not the user's name. */
  isDefaultPolicy: boolean;
}

/**
 * AWS's default password policy, in force while the account has none (IAM User Guide, "Default
 * password policy"): at least 8 characters, a mix of at least three of uppercase, lowercase,
 * numbers and symbols, and not identical to the account's name or email. Castellan accounts have
 * neither, so the last rule refuses the user's own name and the account's alias instead.
 */
export const DEFAULT_PASSWORD_RULES: PasswordRules = Object.freeze({
  minimumPasswordLength: 8,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercaseCharacters: false,
  requireLowercaseCharacters: false,
  isDefaultPolicy: true,
});

/** The symbols AWS's password policy counts as non-alphanumeric (IAM User Guide, "Custom password policy options"). */
const SYMBOLS = new Set("!@#$%^&*()_+-=[]{}|'");

const CLASS_TEXT = {
  upper: 'Password should have at least one uppercase letter',
  lower: 'Password should have at least one lowercase letter',
  digit: 'Password should have at least one number',
  symbol: 'Password should have at least one symbol',
} as const;

/** The rules of a policy, or the default ones when there is none. */
export function rulesOf(policy: PasswordPolicy | undefined): PasswordRules {
  if (!policy) return DEFAULT_PASSWORD_RULES;
  return {
    minimumPasswordLength: policy.minimumPasswordLength,
    requireSymbols: policy.requireSymbols,
    requireNumbers: policy.requireNumbers,
    requireUppercaseCharacters: policy.requireUppercaseCharacters,
    requireLowercaseCharacters: policy.requireLowercaseCharacters,
    isDefaultPolicy: false,
  };
}

/** The rules from an account's stored policy JSON (the UpdateAccountPasswordPolicy input), or the default ones. */
export function passwordRules(passwordPolicyJson: string | undefined): PasswordRules {
  return rulesOf(parseStoredPolicy(passwordPolicyJson));
}

/** Names a password may not equal under the default policy (compared case-insensitively). */
export interface ForbiddenNames {
  names: readonly string[];
}

/**
 * The rules `password` breaks, each in AWS's words ("Password should have a minimum length of 8",
 * "Password should have at least one symbol", and for the default policy "Password should meet 1
 * more of the following requirements: …"); empty when it conforms.
 */
export function passwordViolations(password: string, rules: PasswordRules, forbidden: ForbiddenNames = { names: [] }): string[] {
  const chars = [...password];
  const has = {
    upper: chars.some((c) => c >= 'A' && c <= 'Z'),
    lower: chars.some((c) => c >= 'a' && c <= 'z'),
    digit: chars.some((c) => c >= '0' && c <= '9'),
    symbol: chars.some((c) => SYMBOLS.has(c)),
  };
  const out: string[] = [];
  if (chars.length < rules.minimumPasswordLength) out.push(`Password should have a minimum length of ${rules.minimumPasswordLength}`);
  if (rules.requireUppercaseCharacters && !has.upper) out.push(CLASS_TEXT.upper);
  if (rules.requireLowercaseCharacters && !has.lower) out.push(CLASS_TEXT.lower);
  if (rules.requireNumbers && !has.digit) out.push(CLASS_TEXT.digit);
  if (rules.requireSymbols && !has.symbol) out.push(CLASS_TEXT.symbol);
  if (rules.isDefaultPolicy) {
    const missing = (Object.keys(has) as Array<keyof typeof has>).filter((k) => !has[k]);
    const short = missing.length - 1;
    if (short > 0) out.push(`Password should meet ${short} more of the following requirements: ${missing.map((k) => CLASS_TEXT[k]).join(', ')}`);
    // Our wording: AWS's rule names the account's name or email, which Castellan accounts lack.
    if (forbidden.names.some((n) => n.length > 0 && n.toLowerCase() === password.toLowerCase())) out.push('Password should not be identical to your user name or account alias');
  }
  return out;
}
