import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listMfaDeviceTags as listMfaDeviceTagsService } from '../../../../services/iam/mfa-devices.js';
import { pageMarkers, toWireTags } from './identity-wire.js';
import { mfaTarget } from './mfa-wire.js';

/** iam:ListMFADeviceTags on the device's ARN, in the order the tags were added. */
export const listMfaDeviceTags = iamOperation('ListMFADeviceTags', {
  target: iamTarget((i) => mfaTarget(i.SerialNumber)),
  execute: async (input, ctx, deps) => {
    const page = await listMfaDeviceTagsService(deps, { serialNumber: input.SerialNumber, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Tags: toWireTags(page.items), ...pageMarkers(page) };
  },
});
