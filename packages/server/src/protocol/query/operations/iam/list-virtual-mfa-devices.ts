import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listVirtualMfaDevices as listVirtualMfaDevicesService } from '../../../../services/iam/mfa-devices.js';
import { pageMarkers } from './identity-wire.js';
import { toWireVirtualMfaDevice } from './mfa-wire.js';

/** iam:ListVirtualMFADevices (no resource-level permissions): by AssignmentStatus, never with seeds. */
export const listVirtualMfaDevices = iamOperation('ListVirtualMFADevices', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    const page = await listVirtualMfaDevicesService(deps, { assignmentStatus: input.AssignmentStatus, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { VirtualMFADevices: page.items.map(toWireVirtualMfaDevice), ...pageMarkers(page) };
  },
});
