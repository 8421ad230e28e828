import { iamOperation } from '../../../define-operation.js';
import { renamedServerCertificateArns, serverCertificateTarget } from '../../../../services/authorization/server-certificate-target.js';
import { updateServerCertificate as updateServerCertificateService } from '../../../../services/iam/server-certificates.js';

/**
 * iam:UpdateServerCertificate: a new name and/or path. Authorized on the certificate's current ARN
 * and, as AWS requires, on the ARN it will have.
 */
export const updateServerCertificate = iamOperation('UpdateServerCertificate', {
  target: serverCertificateTarget((i) => ({ name: i.ServerCertificateName })),
  alsoAuthorizedOn: (i, ctx, deps) => renamedServerCertificateArns(deps, { name: i.ServerCertificateName, newName: i.NewServerCertificateName, newPath: i.NewPath }, ctx),
  execute: async (input, ctx, deps) => {
    await updateServerCertificateService(deps, { name: input.ServerCertificateName, newName: input.NewServerCertificateName, newPath: input.NewPath }, ctx);
  },
});
