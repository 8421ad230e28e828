import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { setSecurityTokenServicePreferences as setPreferences } from '../../../../services/iam/account.js';

/** iam:SetSecurityTokenServicePreferences (no resource-level permissions): the account's global-endpoint token version. */
export const setSecurityTokenServicePreferences = iamOperation('SetSecurityTokenServicePreferences', {
  target: iamTarget(() => ({})),
  execute: (input, ctx, deps) => setPreferences(deps, { globalEndpointTokenVersion: input.GlobalEndpointTokenVersion }, ctx),
});
