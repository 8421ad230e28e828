import { iamOperation } from '../../../define-operation.js';
import { serverCertificateTarget } from '../../../../services/authorization/server-certificate-target.js';
import { deleteServerCertificate as deleteServerCertificateService } from '../../../../services/iam/server-certificates.js';

/** iam:DeleteServerCertificate on the certificate's ARN (its tags go with it). */
export const deleteServerCertificate = iamOperation('DeleteServerCertificate', {
  target: serverCertificateTarget((i) => ({ name: i.ServerCertificateName })),
  execute: async (input, ctx, deps) => {
    await deleteServerCertificateService(deps, { name: input.ServerCertificateName }, ctx);
  },
});
