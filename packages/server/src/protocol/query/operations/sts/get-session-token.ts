import { stsOperation } from '../../../define-operation.js';
import { getSessionToken as getSessionTokenService } from '../../../../services/sts/get-session-token.js';
import { toWireCredentials } from './sts-wire.js';

/** sts:GetSessionToken: AWS requires no permission for it ("No permissions are required for users to perform this operation"). */
export const getSessionToken = stsOperation('GetSessionToken', {
  skipAuthorization: true,
  resource: () => '*',
  execute: async (input, ctx, deps) => {
    const c = await getSessionTokenService(deps, { durationSeconds: input.DurationSeconds, serialNumber: input.SerialNumber, tokenCode: input.TokenCode }, ctx);
    return { Credentials: toWireCredentials(c) };
  },
});
