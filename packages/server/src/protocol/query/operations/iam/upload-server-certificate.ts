import { iamOperation } from '../../../define-operation.js';
import { serverCertificateTarget } from '../../../../services/authorization/server-certificate-target.js';
import { uploadServerCertificate as uploadServerCertificateService } from '../../../../services/iam/server-certificates.js';
import { toWireServerCertificateMetadata } from './credential-kind-wire.js';
import { fromWireTags, toWireTags } from './identity-wire.js';

/**
 * iam:UploadServerCertificate on the new certificate's ARN; its tags are condition keys. The
 * private key is sealed at rest, never returned, and hidden in the audit record.
 */
export const uploadServerCertificate = iamOperation('UploadServerCertificate', {
  target: serverCertificateTarget((i) => ({ name: i.ServerCertificateName, path: i.Path, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    const { metadata, tags } = await uploadServerCertificateService(deps, {
      name: input.ServerCertificateName,
      path: input.Path,
      body: input.CertificateBody,
      privateKey: input.PrivateKey,
      chain: input.CertificateChain,
      tags: fromWireTags(input.Tags),
    }, ctx);
    return { ServerCertificateMetadata: toWireServerCertificateMetadata(metadata), ...(tags.length > 0 ? { Tags: toWireTags(tags) } : {}) };
  },
});
