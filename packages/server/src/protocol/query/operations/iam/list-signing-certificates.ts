import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listSigningCertificates as listSigningCertificatesService } from '../../../../services/iam/signing-certificates.js';
import { toWireSigningCertificate } from './credential-kind-wire.js';
import { pageMarkers, userOrCaller } from './identity-wire.js';

/** iam:ListSigningCertificates on the user's ARN (the caller's own without UserName, root included). */
export const listSigningCertificates = iamOperation('ListSigningCertificates', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const page = await listSigningCertificatesService(deps, { userName: input.UserName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Certificates: page.items.map(toWireSigningCertificate), ...pageMarkers(page) };
  },
});
