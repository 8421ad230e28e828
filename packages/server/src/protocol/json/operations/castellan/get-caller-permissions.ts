/**
 * castellan:GetCallerPermissions (Read, `*`): the caller's own permissions for a list of actions and
 * resources (services/authorization/caller-permissions.ts). Allowed unless a Deny statement refuses
 * it: a caller learns only what trying each action would tell it, AWS's AccessDenied text and the
 * encoded message for sts:DecodeAuthorizationMessage, which stays a permission of its own.
 */
import { NotImplementedError } from '../../../../domain/errors.js';
import { denialError } from '../../../../domain/denial-error.js';
import { servedRegion } from '../../../../pipeline/pipeline-service.js';
import { callerPermissions } from '../../../../services/authorization/caller-permissions.js';
import { castellanOperation } from '../../../define-operation.js';
import type { PermissionResult } from '../../../model/castellan-types.js';
import { serviceEntry } from '../../../service-table.js';
import { roleTrustPolicy } from '../../../query/operations/sts/role-session.js';

/** The GetCallerPermissions operation. */
export const getCallerPermissions = castellanOperation('GetCallerPermissions', {
  resource: () => '*',
  allowedUnlessDenied: true,
  readsConditionKeys: true,
  async execute(input, ctx, deps) {
    if (!deps.permissionChecks) throw new NotImplementedError('This server does not answer permission checks.');
    // A global service's actions (IAM) are requested in us-east-1, as the pipeline decides them.
    const regionOf = (action: string) => servedRegion(serviceEntry(action.slice(0, action.indexOf(':'))), ctx.region);
    // The role's trust policy, read as sts:AssumeRole's own authorization reads it, for a role of
    // the caller's own account only: a refused AssumeRole on another account's role is written to
    // that account's trail too, a question only to the caller's, so answering it would let an
    // outsider probe another account's trust policies unseen by its owner.
    const ownAccount = `arn:aws:iam::${ctx.caller.accountId}:`;
    const trustPolicyOf = (roleArn: string) => (roleArn.startsWith(ownAccount) ? roleTrustPolicy({ RoleArn: roleArn }, ctx, deps) : Promise.resolve(undefined));
    const answers = await callerPermissions(deps.permissionChecks, ctx, input.Checks.map((c) => ({ action: c.Action, resource: c.Resource })), regionOf, trustPolicyOf);
    return {
      Results: answers.map(({ action, resource, decision }): PermissionResult => {
        const d = decision.decision;
        const result: PermissionResult = { Action: action, Resource: resource, Effect: d.effect, MissingContextKeys: [...d.missingContextKeys] };
        if (d.reason.kind === 'allowed') return result;
        result.DeniedBy = d.reason.layer;
        result.Message = denialError(decision).message;
        if (decision.encodedMessage !== undefined) result.EncodedMessage = decision.encodedMessage;
        return result;
      }),
    };
  },
});
