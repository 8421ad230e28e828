import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateSigningCertificate as updateSigningCertificateService } from '../../../../services/iam/signing-certificates.js';
import { userOrCaller } from './identity-wire.js';

/** iam:UpdateSigningCertificate on the user's ARN: Active or Inactive. */
export const updateSigningCertificate = iamOperation('UpdateSigningCertificate', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await updateSigningCertificateService(deps, { userName: input.UserName, certificateId: input.CertificateId, status: input.Status }, ctx);
  },
});
