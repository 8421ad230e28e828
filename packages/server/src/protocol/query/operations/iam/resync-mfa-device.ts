import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { resyncMfaDevice as resyncMfaDeviceService } from '../../../../services/iam/mfa-devices.js';

/** iam:ResyncMFADevice on the user's ARN: two consecutive codes re-synchronize a drifted device. */
export const resyncMfaDevice = iamOperation('ResyncMFADevice', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await resyncMfaDeviceService(deps, {
      userName: input.UserName,
      serialNumber: input.SerialNumber,
      authenticationCode1: input.AuthenticationCode1,
      authenticationCode2: input.AuthenticationCode2,
    }, ctx);
  },
});
