import { iamOperation } from '../../../define-operation.js';
import { samlProviderTarget } from '../../../../services/authorization/saml-provider-target.js';
import { tagSamlProvider } from '../../../../services/iam/saml-providers.js';
import { fromWireTags } from './identity-wire.js';

/** iam:TagSAMLProvider on the provider's ARN; the new tags are condition keys. */
export const tagSAMLProvider = iamOperation('TagSAMLProvider', {
  target: samlProviderTarget((i) => ({ arn: i.SAMLProviderArn, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    await tagSamlProvider(deps, { arn: input.SAMLProviderArn, tags: fromWireTags(input.Tags) }, ctx);
  },
});
