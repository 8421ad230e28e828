import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteSigningCertificate as deleteSigningCertificateService } from '../../../../services/iam/signing-certificates.js';
import { userOrCaller } from './identity-wire.js';

/** iam:DeleteSigningCertificate on the user's ARN. */
export const deleteSigningCertificate = iamOperation('DeleteSigningCertificate', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await deleteSigningCertificateService(deps, { userName: input.UserName, certificateId: input.CertificateId }, ctx);
  },
});
