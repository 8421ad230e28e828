/**
 * The root user's virtual MFA device, managed by the operator (`castellan root enable-mfa`,
 * `castellan root deactivate-mfa`). On AWS only root itself assigns its MFA, in the console's
 * Security credentials page (no principal can call EnableMFADevice for root); in Castellan the
 * operator, who holds the data folder and the master key, stands in for that page. Each step is
 * recorded in the account's trail as the console's calls are, with root as the caller:
 * `CreateVirtualMFADevice` then `EnableMFADevice`, and `DeactivateMFADevice` then
 * `DeleteVirtualMFADevice` (the console removes root's device, it does not keep it unassigned).
 *
 * @module
 */
import { IAM_QUOTAS } from '../../domain/quotas.js';
import type { Store } from '../../store/store.js';
import { createVirtualMfaDevice, enableRootMfaDevice, mfaSerialNumber } from '../iam/mfa-devices.js';
import { otpauthUri } from '../iam/totp.js';
import { AccountAdminError } from './hosted-accounts.js';
import { audited, rootContext, type RootCallDeps } from './root-calls.js';

/** The name AWS gives root's virtual device (`arn:aws:iam::ACCOUNT:mfa/root-account-mfa-device`). */
export const ROOT_MFA_DEVICE_NAME = 'root-account-mfa-device';


/** A device created for root and not yet enabled: the seed is shown once, to be scanned. */
export interface RootMfaEnrolment {
  accountId: string;
  serialNumber: string;
  base32StringSeed: string;
  /** `otpauth://totp/…` for authenticator apps (and the terminal's QR code). */
  otpauthUri: string;
}

/**
 * Creates root's virtual device (unassigned). Refused while root has an enabled device; a device of
 * the same name left unassigned by an enrolment that never finished is replaced.
 */
export async function startRootMfa(deps: RootCallDeps, input: { accountId?: string | undefined; now: Date }): Promise<RootMfaEnrolment> {
  const ctx = await rootContext(deps, input);
  const accountId = ctx.caller.accountId;
  const enabled = await rootDevices(deps.store, accountId);
  if (enabled.length > 0) throw new AccountAdminError(`root of account ${accountId} already has an MFA device (${enabled.join(', ')}): remove it first with \`castellan root deactivate-mfa\``);
  const serialNumber = mfaSerialNumber(accountId, '/', ROOT_MFA_DEVICE_NAME);
  const leftover = await deps.store.getMfaDevice(serialNumber);
  if (leftover && !leftover.owner) await audited(deps, ctx, 'DeleteVirtualMFADevice', { SerialNumber: serialNumber }, (tx) => tx.deleteMfaDevice(serialNumber));
  const device = await audited(deps, ctx, 'CreateVirtualMFADevice', { VirtualMFADeviceName: ROOT_MFA_DEVICE_NAME }, (tx) => createVirtualMfaDevice({ store: tx, ids: deps.ids }, { name: ROOT_MFA_DEVICE_NAME }, ctx), (d) => ({ VirtualMFADevice: { SerialNumber: d.serialNumber } }));
  const label = (await deps.store.listAccountAliases(accountId))[0] ?? accountId;
  return { accountId, serialNumber: device.serialNumber, base32StringSeed: device.base32StringSeed, otpauthUri: otpauthUri(ROOT_MFA_DEVICE_NAME, label, device.base32StringSeed) };
}

/**
 * Enables root's device given two consecutive codes from it, as EnableMFADevice checks them
 * (`InvalidAuthenticationCode` otherwise, recorded as a failed call; the device stays unassigned).
 */
export async function finishRootMfa(deps: RootCallDeps, input: { accountId: string; serialNumber: string; authenticationCode1: string; authenticationCode2: string; now: Date }): Promise<void> {
  const ctx = await rootContext(deps, input);
  const { serialNumber, authenticationCode1, authenticationCode2 } = input;
  await audited(deps, ctx, 'EnableMFADevice', { SerialNumber: serialNumber, AuthenticationCode1: authenticationCode1, AuthenticationCode2: authenticationCode2 }, (tx) =>
    enableRootMfaDevice({ store: tx, quotas: IAM_QUOTAS }, { serialNumber, authenticationCode1, authenticationCode2 }, ctx),
  );
}

/** Removes root's MFA: each enabled device is deactivated and deleted. Returns their serial numbers (none: root had none). */
export async function deactivateRootMfa(deps: RootCallDeps, input: { accountId?: string | undefined; now: Date }): Promise<{ accountId: string; serialNumbers: string[] }> {
  const ctx = await rootContext(deps, input);
  const serialNumbers = await rootDevices(deps.store, ctx.caller.accountId);
  for (const serialNumber of serialNumbers) {
    await audited(deps, ctx, 'DeactivateMFADevice', { SerialNumber: serialNumber }, (tx) => tx.deactivateMfaDevice(serialNumber));
    await audited(deps, ctx, 'DeleteVirtualMFADevice', { SerialNumber: serialNumber }, (tx) => tx.deleteMfaDevice(serialNumber));
  }
  return { accountId: ctx.caller.accountId, serialNumbers };
}

/** Serial numbers of root's enabled virtual devices. */
async function rootDevices(store: Store, accountId: string): Promise<string[]> {
  return (await store.listMfaDevices({ accountId, owner: { kind: 'root' }, maxItems: 100 })).items.map((d) => d.serialNumber);
}
