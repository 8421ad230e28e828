/**
 * `@castellan/server/accounts`: what `castellan account create|list` uses.
 *
 * @module
 */
export { openAccountAdmin } from './open-account-admin.js';
export type { AccountAdmin, AccountAdminLocation, AccountAdminOptions, AdminAuditLog } from './open-account-admin.js';
export { ROOT_MFA_DEVICE_NAME, type RootMfaEnrolment } from './root-mfa.js';
export type { NewRootAccessKey } from './root-access-key.js';
export { AccountAdminError, createHostedAccount, listHostedAccounts } from './hosted-accounts.js';
export type { CreatedAccount, HostedAccount } from './hosted-accounts.js';
