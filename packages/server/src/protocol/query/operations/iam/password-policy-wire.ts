/**
 * The PasswordPolicy shape of the account password policy.
 *
 * @module
 */
import type { PasswordPolicy as PasswordPolicyView } from '../../../../domain/iam-entities.js';
import type { PasswordPolicy } from '../../../model/iam-types.js';

/** The PasswordPolicy shape: the optional members only when the policy sets them, as AWS answers. */
export function toWirePasswordPolicy(p: PasswordPolicyView): PasswordPolicy {
  return {
    MinimumPasswordLength: p.minimumPasswordLength,
    RequireSymbols: p.requireSymbols,
    RequireNumbers: p.requireNumbers,
    RequireUppercaseCharacters: p.requireUppercaseCharacters,
    RequireLowercaseCharacters: p.requireLowercaseCharacters,
    AllowUsersToChangePassword: p.allowUsersToChangePassword,
    ExpirePasswords: p.expirePasswords,
    ...(p.maxPasswordAge !== undefined ? { MaxPasswordAge: p.maxPasswordAge } : {}),
    ...(p.passwordReusePrevention !== undefined ? { PasswordReusePrevention: p.passwordReusePrevention } : {}),
    ...(p.hardExpiry !== undefined ? { HardExpiry: p.hardExpiry } : {}),
  };
}
