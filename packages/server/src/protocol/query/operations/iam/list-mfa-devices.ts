import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listMfaDevices as listMfaDevicesService } from '../../../../services/iam/mfa-devices.js';
import { pageMarkers, userOrCaller } from './identity-wire.js';
import { toWireMfaDevice } from './mfa-wire.js';

/** iam:ListMFADevices: the devices enabled for the user (or for the calling user or root without a name). */
export const listMfaDevices = iamOperation('ListMFADevices', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const page = await listMfaDevicesService(deps, { userName: input.UserName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { MFADevices: page.items.map(toWireMfaDevice), ...pageMarkers(page) };
  },
});
