import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { uploadSigningCertificate as uploadSigningCertificateService } from '../../../../services/iam/signing-certificates.js';
import { toWireSigningCertificate } from './credential-kind-wire.js';
import { userOrCaller } from './identity-wire.js';

/** iam:UploadSigningCertificate on the user's ARN (the caller's own without UserName, root included). */
export const uploadSigningCertificate = iamOperation('UploadSigningCertificate', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const cert = await uploadSigningCertificateService(deps, { userName: input.UserName, body: input.CertificateBody }, ctx);
    return { Certificate: toWireSigningCertificate(cert) };
  },
});
