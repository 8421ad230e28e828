import { iamOperation } from '../../../define-operation.js';
import { catalogResource } from '../../../../services/authorization/entity-targets.js';
import { listServerCertificates as listServerCertificatesService } from '../../../../services/iam/server-certificates.js';
import { toWireServerCertificateMetadata } from './credential-kind-wire.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListServerCertificates (no resource-level permissions): by name, filtered by PathPrefix. */
export const listServerCertificates = iamOperation('ListServerCertificates', {
  target: (action) => ({ resource: (_input, ctx, deps) => catalogResource(deps, action, ctx) }),
  execute: async (input, ctx, deps) => {
    const page = await listServerCertificatesService(deps, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { ServerCertificateMetadataList: page.items.map(toWireServerCertificateMetadata), ...pageMarkers(page) };
  },
});
