import { iamOperation } from '../../../define-operation.js';
import { serverCertificateTarget } from '../../../../services/authorization/server-certificate-target.js';
import { updateServerCertificate as updateServerCertificateService } from '../../../../services/iam/server-certificates.js';

/** iam:UpdateServerCertificate on the certificate's current ARN: a new name and/or path. */
export const updateServerCertificate = iamOperation('UpdateServerCertificate', {
  target: serverCertificateTarget((i) => ({ name: i.ServerCertificateName })),
  execute: async (input, ctx, deps) => {
    await updateServerCertificateService(deps, { name: input.ServerCertificateName, newName: input.NewServerCertificateName, newPath: input.NewPath }, ctx);
  },
});
