import { stsOperation } from '../../../define-operation.js';
import { decodeAuthorizationMessage as decodeService } from '../../../../services/sts/decode-authorization-message.js';

/** sts:DecodeAuthorizationMessage (no resource): the decision behind a denial, for callers allowed to read it. */
export const decodeAuthorizationMessage = stsOperation('DecodeAuthorizationMessage', {
  resource: () => '*',
  execute: (input, ctx, deps) => ({ DecodedMessage: decodeService(deps, input.EncodedMessage, ctx) }),
});
