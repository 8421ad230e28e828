import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { tagMfaDevice as tagMfaDeviceService } from '../../../../services/iam/mfa-devices.js';
import { fromWireTags } from './identity-wire.js';
import { mfaTarget } from './mfa-wire.js';

/** iam:TagMFADevice on the device's ARN. */
export const tagMfaDevice = iamOperation('TagMFADevice', {
  target: iamTarget((i) => mfaTarget(i.SerialNumber, { requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    await tagMfaDeviceService(deps, { serialNumber: input.SerialNumber, tags: fromWireTags(input.Tags) }, ctx);
  },
});
