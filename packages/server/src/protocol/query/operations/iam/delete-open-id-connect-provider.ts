import { iamOperation } from '../../../define-operation.js';
import { oidcProviderTarget } from '../../../../services/authorization/oidc-provider-target.js';
import { deleteOidcProvider } from '../../../../services/iam/oidc-providers.js';

/** iam:DeleteOpenIDConnectProvider on the provider's ARN. */
export const deleteOpenIDConnectProvider = iamOperation('DeleteOpenIDConnectProvider', {
  target: oidcProviderTarget((i) => ({ arn: i.OpenIDConnectProviderArn })),
  execute: async (input, ctx, deps) => {
    await deleteOidcProvider(deps, { arn: input.OpenIDConnectProviderArn }, ctx);
  },
});
