import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { untagMfaDevice as untagMfaDeviceService } from '../../../../services/iam/mfa-devices.js';
import { mfaTarget } from './mfa-wire.js';

/** iam:UntagMFADevice on the device's ARN. */
export const untagMfaDevice = iamOperation('UntagMFADevice', {
  target: iamTarget((i) => mfaTarget(i.SerialNumber, { tagKeys: i.TagKeys })),
  execute: async (input, ctx, deps) => {
    await untagMfaDeviceService(deps, { serialNumber: input.SerialNumber, tagKeys: input.TagKeys }, ctx);
  },
});
