import type { RequestContext } from '../../../../domain/context.js';
import { iamOperation } from '../../../define-operation.js';
import { iamTarget, type IamTargetNames } from '../../../../services/authorization/iam-target.js';
import { changePassword as changePasswordService } from '../../../../services/iam/login-profiles.js';

/** iam:ChangePassword on the calling user's ARN: the user's own password, given the current one. */
export const changePassword = iamOperation('ChangePassword', {
  target: iamTarget((_i, ctx) => ownUser(ctx)),
  execute: async (input, ctx, deps) => {
    await changePasswordService(deps, { oldPassword: input.OldPassword, newPassword: input.NewPassword }, ctx);
  },
});

/**
 * The caller's own user. Only IAM users have a password to change; any other caller (the root,
 * a role session) is authorized on a user ARN named after its kind and then refused by the service
 * with InvalidUserType, so the placeholder grants nothing.
 */
function ownUser(ctx: RequestContext): IamTargetNames {
  // With its id, so that a cached name gone stale by a rename cannot authorize another user's ARN (the service acts by id).
  if (ctx.caller.type === 'IAMUser' && ctx.caller.userName) return { userName: ctx.caller.userName, userId: ctx.caller.principalId };
  return { values: { UserNameWithPath: ctx.caller.type } };
}
