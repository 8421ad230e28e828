import { iamOperation } from '../../../define-operation.js';
import { serverCertificateTarget } from '../../../../services/authorization/server-certificate-target.js';
import { getServerCertificate as getServerCertificateService } from '../../../../services/iam/server-certificates.js';
import { toWireServerCertificateMetadata } from './credential-kind-wire.js';
import { toWireTags } from './identity-wire.js';

/** iam:GetServerCertificate: metadata, body, chain and tags (never the private key). */
export const getServerCertificate = iamOperation('GetServerCertificate', {
  target: serverCertificateTarget((i) => ({ name: i.ServerCertificateName })),
  execute: async (input, ctx, deps) => {
    const cert = await getServerCertificateService(deps, { name: input.ServerCertificateName }, ctx);
    return {
      ServerCertificate: {
        ServerCertificateMetadata: toWireServerCertificateMetadata(cert),
        CertificateBody: cert.body,
        ...(cert.chain !== undefined ? { CertificateChain: cert.chain } : {}),
        ...(cert.tags.length > 0 ? { Tags: toWireTags(cert.tags) } : {}),
      },
    };
  },
});
