import { iamOperation } from '../../../define-operation.js';
import { iamTarget, listedPathArn } from '../../../../services/authorization/iam-target.js';
import { listVirtualMfaDevices as listVirtualMfaDevicesService } from '../../../../services/iam/mfa-devices.js';
import { pageMarkers } from './identity-wire.js';
import { toWireVirtualMfaDevice } from './mfa-wire.js';

/** iam:ListVirtualMFADevices, authorized on `…:mfa/` as AWS does: by AssignmentStatus, never with seeds. */
export const listVirtualMfaDevices = iamOperation('ListVirtualMFADevices', {
  target: iamTarget((_input, ctx) => ({ arn: listedPathArn(ctx, 'mfa', undefined) })),
  execute: async (input, ctx, deps) => {
    const page = await listVirtualMfaDevicesService(deps, { assignmentStatus: input.AssignmentStatus, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { VirtualMFADevices: page.items.map(toWireVirtualMfaDevice), ...pageMarkers(page) };
  },
});
