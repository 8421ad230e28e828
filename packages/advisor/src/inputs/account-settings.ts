/**
 * `aws iam get-account-password-policy` and `aws iam get-account-summary`.
 */

/** The account password policy; `undefined` fields are not set. */
export interface PasswordPolicy {
  readonly minimumPasswordLength?: number;
  readonly requireSymbols?: boolean;
  readonly requireNumbers?: boolean;
  readonly requireUppercaseCharacters?: boolean;
  readonly requireLowercaseCharacters?: boolean;
  readonly maxPasswordAge?: number;
  readonly passwordReusePrevention?: number;
  readonly allowUsersToChangePassword?: boolean;
  readonly hardExpiry?: boolean;
}

/** The password policy input: a policy, or the account has none (`NoSuchEntity`). */
export type PasswordPolicyInput = { readonly kind: 'policy'; readonly policy: PasswordPolicy } | { readonly kind: 'none' };

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** Reads `{"PasswordPolicy": {…}}`; undefined when the value is not one. */
export function readPasswordPolicy(value: unknown): PasswordPolicyInput | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = (value as { PasswordPolicy?: unknown }).PasswordPolicy;
  if (typeof p !== 'object' || p === null) return undefined;
  const o = p as Record<string, unknown>;
  const policy: Record<string, number | boolean> = {};
  const set = (key: keyof PasswordPolicy, v: number | boolean | undefined): void => {
    if (v !== undefined) policy[key] = v;
  };
  set('minimumPasswordLength', num(o['MinimumPasswordLength']));
  set('requireSymbols', bool(o['RequireSymbols']));
  set('requireNumbers', bool(o['RequireNumbers']));
  set('requireUppercaseCharacters', bool(o['RequireUppercaseCharacters']));
  set('requireLowercaseCharacters', bool(o['RequireLowercaseCharacters']));
  set('maxPasswordAge', num(o['MaxPasswordAge']));
  set('passwordReusePrevention', num(o['PasswordReusePrevention']));
  set('allowUsersToChangePassword', bool(o['AllowUsersToChangePassword']));
  set('hardExpiry', bool(o['HardExpiry']));
  return { kind: 'policy', policy: policy as PasswordPolicy };
}

/**
 * True when the text is what `aws iam get-account-password-policy` prints for an account without
 * a password policy (`An error occurred (NoSuchEntity) …`), captured with `2>&1`.
 */
export function isNoPasswordPolicyText(text: string): boolean {
  // Anchored to the CLI's message: a JSON document (a trail holding that failed call) is not one.
  return /^\s*An error occurred \(NoSuchEntity\) when calling the GetAccountPasswordPolicy operation/.test(text);
}

/** `get-account-summary`'s SummaryMap (numbers by AWS's key names). */
export type AccountSummary = Readonly<Record<string, number>>;

/** Reads `{"SummaryMap": {…}}`. */
export function readAccountSummary(value: unknown): AccountSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = (value as { SummaryMap?: unknown }).SummaryMap;
  if (typeof m !== 'object' || m === null) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number') out[k] = v;
  return out;
}
