import { iamOperation } from '../../../define-operation.js';
import { samlProviderTarget } from '../../../../services/authorization/saml-provider-target.js';
import { deleteSamlProvider } from '../../../../services/iam/saml-providers.js';

/** iam:DeleteSAMLProvider on the provider's ARN. */
export const deleteSAMLProvider = iamOperation('DeleteSAMLProvider', {
  target: samlProviderTarget((i) => ({ arn: i.SAMLProviderArn })),
  execute: async (input, ctx, deps) => {
    await deleteSamlProvider(deps, { arn: input.SAMLProviderArn }, ctx);
  },
});
