import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { enableMfaDevice as enableMfaDeviceService } from '../../../../services/iam/mfa-devices.js';

/** iam:EnableMFADevice on the user's ARN: two consecutive codes from the device assign it to the user. */
export const enableMfaDevice = iamOperation('EnableMFADevice', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await enableMfaDeviceService(deps, {
      userName: input.UserName,
      serialNumber: input.SerialNumber,
      authenticationCode1: input.AuthenticationCode1,
      authenticationCode2: input.AuthenticationCode2,
    }, ctx);
  },
});
