/**
 * `@castellan/server/accounts`: what `castellan account create|list` uses.
 *
 * @module
 */
export { openAccountAdmin } from './open-account-admin.js';
export type { AccountAdmin, AccountAdminLocation } from './open-account-admin.js';
export { AccountAdminError, createHostedAccount, listHostedAccounts } from './hosted-accounts.js';
export type { CreatedAccount, HostedAccount } from './hosted-accounts.js';
