import { stsOperation } from '../../../define-operation.js';

/**
 * sts:GetCallerIdentity, the AWS tools' "who am I": never denied (AWS does not authorize it, even
 * under an explicit Deny), it returns the authenticated caller's UserId, Account and Arn.
 */
export const getCallerIdentity = stsOperation<'GetCallerIdentity', unknown>('GetCallerIdentity', {
  skipAuthorization: true,
  resource: () => '*',
  execute: (_input, ctx) => ({
    UserId: ctx.caller.principalId,
    Account: ctx.caller.accountId,
    Arn: ctx.caller.arn,
  }),
});
