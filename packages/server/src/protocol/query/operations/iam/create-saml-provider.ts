import { iamOperation } from '../../../define-operation.js';
import { samlProviderTarget } from '../../../../services/authorization/saml-provider-target.js';
import { createSamlProvider } from '../../../../services/iam/saml-providers.js';
import { fromWireTags, toWireTags } from './identity-wire.js';

/** iam:CreateSAMLProvider on the new provider's ARN; tags are condition keys. */
export const createSAMLProvider = iamOperation('CreateSAMLProvider', {
  target: samlProviderTarget((i) => ({ name: i.Name, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    const { arn, tags } = await createSamlProvider(deps, { name: input.Name, metadataDocument: input.SAMLMetadataDocument, tags: fromWireTags(input.Tags) }, ctx);
    return { SAMLProviderArn: arn, ...(tags.length > 0 ? { Tags: toWireTags(tags) } : {}) };
  },
});
