import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createServiceLinkedRole as createServiceLinkedRoleService, serviceLinkedRolePath, serviceLinkedRoleTargetName } from '../../../../services/iam/service-linked-roles.js';
import { toWireRole } from './policy-wire.js';

/**
 * iam:CreateServiceLinkedRole on the new role's ARN (`role/aws-service-role/SERVICE/NAME`), with
 * `iam:AWSServiceName`; a service without service-linked roles is InvalidInput.
 */
export const createServiceLinkedRole = iamOperation('CreateServiceLinkedRole', {
  target: iamTarget((i, _ctx, deps) => ({
    roleName: serviceLinkedRoleTargetName(deps, i.AWSServiceName, i.CustomSuffix),
    path: serviceLinkedRolePath(i.AWSServiceName),
    conditionKeys: { 'iam:AWSServiceName': i.AWSServiceName },
  })),
  execute: async (input, ctx, deps) => {
    const role = await createServiceLinkedRoleService(
      deps,
      { awsServiceName: input.AWSServiceName, description: input.Description, customSuffix: input.CustomSuffix },
      ctx,
    );
    return { Role: toWireRole(role) };
  },
});
