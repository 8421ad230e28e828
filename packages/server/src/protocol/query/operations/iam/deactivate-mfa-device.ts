import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deactivateMfaDevice as deactivateMfaDeviceService } from '../../../../services/iam/mfa-devices.js';
import { userOrCaller } from './identity-wire.js';

/**
 * iam:DeactivateMFADevice on the user's ARN (the calling user's without UserName): the device is
 * unassigned and can be deleted or enabled again.
 */
export const deactivateMfaDevice = iamOperation('DeactivateMFADevice', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await deactivateMfaDeviceService(deps, { userName: input.UserName, serialNumber: input.SerialNumber }, ctx);
  },
});
