import { AccessDeniedError } from '../../domain/errors.js';

/**
 * MFA for STS calls (`SerialNumber` + `TokenCode`). Castellan has no MFA devices yet, so no code
 * can be checked: a call that presents one is refused as AWS refuses an invalid code, rather than
 * issuing a session that would claim MFA it never proved.
 */
export function refuseMfa(serialNumber: string | undefined): void {
  if (serialNumber !== undefined) throw new AccessDeniedError('MultiFactorAuthentication failed with invalid MFA one time pass code. ');
}
