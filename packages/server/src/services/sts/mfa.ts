import type { Principal } from '../../domain/context.js';
import { AccessDeniedError } from '../../domain/errors.js';
import type { MfaDeviceOwner } from '../../store/store.js';
import { verifyMfaCode } from '../iam/mfa-devices.js';
import type { ServiceDeps } from '../service-deps.js';

/** AWS's texts (aws/aws-cli#6325 quotes the first, double space included). */
const UNABLE_TO_VALIDATE = 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.';
const INVALID_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';

/** The device owner a caller may present a code of: the IAM user (also in its GetSessionToken session) or root; role and federated sessions own none. */
function ownerOf(caller: Principal): MfaDeviceOwner | undefined {
  if (caller.type === 'Root') return { kind: 'root' };
  if (caller.type === 'IAMUser') return { kind: 'user', userId: caller.principalId };
  return undefined;
}

function sameOwner(a: MfaDeviceOwner, b: MfaDeviceOwner): boolean {
  return a.kind === 'root' ? b.kind === 'root' : b.kind === 'user' && a.userId === b.userId;
}

/**
 * MFA for STS calls (`SerialNumber` + `TokenCode`): checks the code against the caller's enabled
 * device and answers when MFA was proven (now), or undefined when the call presents none. A
 * device that is not the caller's, not enabled or unknown, and a wrong or replayed code, are
 * refused with AWS's AccessDenied texts.
 */
export async function verifySessionMfa(
  deps: Pick<ServiceDeps, 'store'>,
  input: { serialNumber?: string | undefined; tokenCode?: string | undefined },
  caller: Principal,
  now: Date,
): Promise<Date | undefined> {
  if (input.serialNumber === undefined && input.tokenCode === undefined) return undefined;
  if (input.serialNumber === undefined || input.tokenCode === undefined) throw new AccessDeniedError(UNABLE_TO_VALIDATE);
  const owner = ownerOf(caller);
  if (!owner) throw new AccessDeniedError(UNABLE_TO_VALIDATE);
  // The owner is checked before the code, so another user's device never has a code consumed.
  const device = await deps.store.getMfaDevice(input.serialNumber);
  if (!device?.owner || !sameOwner(owner, device.owner)) throw new AccessDeniedError(UNABLE_TO_VALIDATE);
  const r = await verifyMfaCode(deps, { accountId: caller.accountId, serialNumber: input.serialNumber, code: input.tokenCode, now });
  if (!r.ok) throw new AccessDeniedError(r.reason === 'wrong-code' || r.reason === 'replayed' ? INVALID_CODE : UNABLE_TO_VALIDATE);
  if (!sameOwner(owner, r.owner)) throw new AccessDeniedError(UNABLE_TO_VALIDATE);
  return now;
}
