import { iamOperation } from '../../../define-operation.js';
import { samlProviderTarget } from '../../../../services/authorization/saml-provider-target.js';
import { listSamlProviderTags } from '../../../../services/iam/saml-providers.js';
import { pageMarkers, toWireTags } from './identity-wire.js';

/** iam:ListSAMLProviderTags on the provider's ARN. */
export const listSAMLProviderTags = iamOperation('ListSAMLProviderTags', {
  target: samlProviderTarget((i) => ({ arn: i.SAMLProviderArn })),
  execute: async (input, ctx, deps) => {
    const page = await listSamlProviderTags(deps, { arn: input.SAMLProviderArn, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Tags: toWireTags(page.items), ...pageMarkers(page) };
  },
});
