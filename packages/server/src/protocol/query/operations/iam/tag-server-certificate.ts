import { iamOperation } from '../../../define-operation.js';
import { serverCertificateTarget } from '../../../../services/authorization/server-certificate-target.js';
import { tagServerCertificate as tagServerCertificateService } from '../../../../services/iam/server-certificates.js';
import { fromWireTags } from './identity-wire.js';

/** iam:TagServerCertificate on the certificate's ARN; the new tags are condition keys. */
export const tagServerCertificate = iamOperation('TagServerCertificate', {
  target: serverCertificateTarget((i) => ({ name: i.ServerCertificateName, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    await tagServerCertificateService(deps, { name: input.ServerCertificateName, tags: fromWireTags(input.Tags) }, ctx);
  },
});
