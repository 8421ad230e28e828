import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createVirtualMfaDevice as createVirtualMfaDeviceService } from '../../../../services/iam/mfa-devices.js';
import { fromWireTags, toWireTags } from './identity-wire.js';

/**
 * iam:CreateVirtualMFADevice on the device's ARN. The answer is the only one that carries the seed
 * (`Base32StringSeed`, the base32 text as a blob) and the QR code PNG; the audit record drops both.
 */
export const createVirtualMfaDevice = iamOperation('CreateVirtualMFADevice', {
  target: iamTarget((i) => ({ values: { MfaTokenIdWithPath: `${(i.Path ?? '/').slice(1)}${i.VirtualMFADeviceName}` }, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    const device = await createVirtualMfaDeviceService(deps, { name: input.VirtualMFADeviceName, path: input.Path, tags: fromWireTags(input.Tags) }, ctx);
    return {
      VirtualMFADevice: {
        SerialNumber: device.serialNumber,
        Base32StringSeed: new TextEncoder().encode(device.base32StringSeed),
        QRCodePNG: device.qrCodePng,
        ...(device.tags && device.tags.length > 0 ? { Tags: toWireTags(device.tags) } : {}),
      },
    };
  },
});
