import { iamOperation } from '../../../define-operation.js';
import { serverCertificateTarget } from '../../../../services/authorization/server-certificate-target.js';
import { untagServerCertificate as untagServerCertificateService } from '../../../../services/iam/server-certificates.js';

/** iam:UntagServerCertificate on the certificate's ARN. */
export const untagServerCertificate = iamOperation('UntagServerCertificate', {
  target: serverCertificateTarget((i) => ({ name: i.ServerCertificateName, tagKeys: i.TagKeys })),
  execute: async (input, ctx, deps) => {
    await untagServerCertificateService(deps, { name: input.ServerCertificateName, tagKeys: input.TagKeys }, ctx);
  },
});
