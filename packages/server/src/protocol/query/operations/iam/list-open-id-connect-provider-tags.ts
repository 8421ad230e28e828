import { iamOperation } from '../../../define-operation.js';
import { oidcProviderTarget } from '../../../../services/authorization/oidc-provider-target.js';
import { listOidcProviderTags } from '../../../../services/iam/oidc-providers.js';
import { pageMarkers, toWireTags } from './identity-wire.js';

/** iam:ListOpenIDConnectProviderTags on the provider's ARN. */
export const listOpenIDConnectProviderTags = iamOperation('ListOpenIDConnectProviderTags', {
  target: oidcProviderTarget((i) => ({ arn: i.OpenIDConnectProviderArn })),
  execute: async (input, ctx, deps) => {
    const page = await listOidcProviderTags(deps, { arn: input.OpenIDConnectProviderArn, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Tags: toWireTags(page.items), ...pageMarkers(page) };
  },
});
