import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteVirtualMfaDevice as deleteVirtualMfaDeviceService } from '../../../../services/iam/mfa-devices.js';
import { mfaTarget } from './mfa-wire.js';

/** iam:DeleteVirtualMFADevice on the device's ARN: an enabled device is a DeleteConflict. */
export const deleteVirtualMfaDevice = iamOperation('DeleteVirtualMFADevice', {
  target: iamTarget((i) => mfaTarget(i.SerialNumber)),
  execute: async (input, ctx, deps) => {
    await deleteVirtualMfaDeviceService(deps, { serialNumber: input.SerialNumber }, ctx);
  },
});
