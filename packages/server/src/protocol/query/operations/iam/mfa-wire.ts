/**
 * What the MFA device operations share on the wire: the authorization target of a serial number
 * and the view -> shape mappers.
 *
 * @module
 */
import type { MfaDevice as MfaDeviceView, VirtualMfaDevice as VirtualMfaDeviceView } from '../../../../domain/iam-entities.js';
import type { IamTargetNames } from '../../../../services/authorization/iam-target.js';
import type { MFADevice, VirtualMFADevice } from '../../../model/iam-types.js';
import { toWireUser } from './identity-wire.js';

/**
 * The target of an action on a device (the `mfa` resource type, `…:mfa/${MfaTokenIdWithPath}`):
 * the path and name of its serial number (a serial that is not an ARN is taken as the name).
 */
export function mfaTarget(serialNumber: string, extra: IamTargetNames = {}): IamTargetNames {
  const m = /^arn:[^:]+:iam::\d{12}:mfa\/(.+)$/.exec(serialNumber);
  return { ...extra, mfaSerialNumber: serialNumber, values: { MfaTokenIdWithPath: m ? m[1]! : serialNumber } };
}

/** The MFADevice shape (ListMFADevices). AWS's root devices carry no user name; the shape requires one, so it is empty. */
export function toWireMfaDevice(d: MfaDeviceView): MFADevice {
  return { UserName: d.userName ?? '', SerialNumber: d.serialNumber, EnableDate: d.enableDate };
}

/**
 * The VirtualMFADevice shape as ListVirtualMFADevices answers it: no seed or QR code (only
 * CreateVirtualMFADevice has those) and no tags (AWS's model: "this operation does not return tags").
 */
export function toWireVirtualMfaDevice(d: VirtualMfaDeviceView): VirtualMFADevice {
  return {
    SerialNumber: d.serialNumber,
    ...(d.user ? { User: d.user.name === '' ? { Path: d.user.path, UserName: '', UserId: d.user.id, Arn: d.user.arn, CreateDate: d.user.createDate } : toWireUser(d.user) } : {}),
    ...(d.enableDate ? { EnableDate: d.enableDate } : {}),
  };
}
