import type { Page, PageRequest } from './paging.js';

/** Whom an MFA device is enabled for: an IAM user, or the account's root user. */
export type MfaDeviceOwner = { kind: 'user'; userId: string } | { kind: 'root' };

/** Which virtual devices `ListVirtualMFADevices` wants. */
export type MfaAssignmentStatus = 'Assigned' | 'Unassigned' | 'Any';

/** A virtual MFA device, without its seed. */
export interface MfaDeviceRow {
  accountId: string;
  /** `arn:aws:iam::ACCOUNT:mfa/PATH/NAME`: the device's id. */
  serialNumber: string;
  name: string;
  path: string;
  createDate: Date;
  /** Set while the device is enabled (assigned). */
  owner?: MfaDeviceOwner;
  enableDate?: Date;
  /** The last TOTP time step accepted (`floor(unix seconds / 30)`); a code of that step or earlier is refused. */
  lastUsedStep?: number;
  lastUsedDate?: Date;
  /**
   * How many TOTP steps the device's clock runs ahead of ours (negative: behind), as
   * `ResyncMFADevice` last measured it; absent while 0.
   */
  driftSteps?: number;
}

/** A device with its decrypted base32 seed: only for checking codes, never for output after creation. */
export interface MfaDeviceWithSeed extends MfaDeviceRow {
  seed: string;
}

/**
 * Virtual MFA devices.
 *
 * Seeds at rest: like secret access keys, the store seals them with its `SecretBox` (bound to the
 * serial number); callers pass and receive plaintext, and only `getMfaDeviceWithSeed` decrypts.
 */
export interface MfaDeviceStore {
  /** `CreateVirtualMFADevice`: `StoreConflictError` if the account has a device of that name (case-insensitive). */
  createMfaDevice(input: { accountId: string; serialNumber: string; name: string; path: string; seed: string; createDate: Date }): Promise<MfaDeviceRow>;
  /** The device (serial numbers are globally unique; the row says the account). */
  getMfaDevice(serialNumber: string): Promise<MfaDeviceRow | undefined>;
  /** The device and its seed, for code verification only. */
  getMfaDeviceWithSeed(serialNumber: string): Promise<MfaDeviceWithSeed | undefined>;
  /**
   * The account's devices, ordered by serial number: those enabled for `owner` when it is given
   * (`ListMFADevices`), else filtered by `assignment` (`ListVirtualMFADevices`, default `Any`).
   */
  listMfaDevices(req: { accountId: string; owner?: MfaDeviceOwner; assignment?: MfaAssignmentStatus } & PageRequest): Promise<Page<MfaDeviceRow>>;
  /**
   * `EnableMFADevice`: assigns an unassigned device to `owner`, recording the time step of the
   * codes that enabled it and clearing any drift an earlier resync measured. Atomically refuses with `StoreLimitError` (quota `mfaDevicesPerUser`)
   * when the owner already has `maxPerOwner` devices (default 8, AWS's quota). Returns `false` when
   * the device does not exist or is already assigned: two concurrent enables of one device leave
   * one owner.
   */
  enableMfaDevice(serialNumber: string, input: { owner: MfaDeviceOwner; enableDate: Date; usedStep: number; maxPerOwner?: number }): Promise<boolean>;
  /** `DeactivateMFADevice`: unassigns the device (it stays, with its seed); `false` if it was not assigned. */
  deactivateMfaDevice(serialNumber: string): Promise<boolean>;
  /** `DeleteVirtualMFADevice` (tags go with it); `false` if it does not exist. */
  deleteMfaDevice(serialNumber: string): Promise<boolean>;
  /**
   * Consumes a TOTP time step: records `step` only if it is later than the last one accepted, in
   * one conditional write, so of two concurrent uses of the same code exactly one gets `true`.
   * Implementations MUST NOT read the last step and write it in separate statements. With
   * `driftSteps` (`ResyncMFADevice`), the same write records it as the device's drift.
   */
  consumeMfaStep(serialNumber: string, step: number, usedAt: Date, driftSteps?: number): Promise<boolean>;
  /** Devices of the account, and those of them enabled (for `GetAccountSummary`), and whether root has one. */
  countMfaDevices(accountId: string): Promise<{ devices: number; inUse: number; root: number }>;
}
