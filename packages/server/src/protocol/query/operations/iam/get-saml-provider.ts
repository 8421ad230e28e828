import { iamOperation } from '../../../define-operation.js';
import { samlProviderTarget } from '../../../../services/authorization/saml-provider-target.js';
import { getSamlProvider } from '../../../../services/iam/saml-providers.js';
import { toWireTags } from './identity-wire.js';

/** iam:GetSAMLProvider on the provider's ARN. */
export const getSAMLProvider = iamOperation('GetSAMLProvider', {
  target: samlProviderTarget((i) => ({ arn: i.SAMLProviderArn })),
  execute: async (input, ctx, deps) => {
    const p = await getSamlProvider(deps, { arn: input.SAMLProviderArn }, ctx);
    return { SAMLMetadataDocument: p.metadataDocument, CreateDate: p.createDate, ValidUntil: p.validUntil, Tags: toWireTags(p.tags) };
  },
});
