import { iamOperation } from '../../../define-operation.js';
import { samlProviderTarget } from '../../../../services/authorization/saml-provider-target.js';
import { updateSamlProvider } from '../../../../services/iam/saml-providers.js';

/** iam:UpdateSAMLProvider on the provider's ARN: a new metadata document, validated. */
export const updateSAMLProvider = iamOperation('UpdateSAMLProvider', {
  target: samlProviderTarget((i) => ({ arn: i.SAMLProviderArn })),
  execute: async (input, ctx, deps) => {
    await updateSamlProvider(deps, { arn: input.SAMLProviderArn, metadataDocument: input.SAMLMetadataDocument }, ctx);
    return { SAMLProviderArn: input.SAMLProviderArn };
  },
});
