import { iamOperation } from '../../../define-operation.js';
import { serverCertificateTarget } from '../../../../services/authorization/server-certificate-target.js';
import { listServerCertificateTags as listServerCertificateTagsService } from '../../../../services/iam/server-certificates.js';
import { pageMarkers, toWireTags } from './identity-wire.js';

/** iam:ListServerCertificateTags on the certificate's ARN. */
export const listServerCertificateTags = iamOperation('ListServerCertificateTags', {
  target: serverCertificateTarget((i) => ({ name: i.ServerCertificateName })),
  execute: async (input, ctx, deps) => {
    const page = await listServerCertificateTagsService(deps, { name: input.ServerCertificateName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Tags: toWireTags(page.items), ...pageMarkers(page) };
  },
});
