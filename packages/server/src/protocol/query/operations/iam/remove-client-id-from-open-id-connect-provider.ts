import { iamOperation } from '../../../define-operation.js';
import { oidcProviderTarget } from '../../../../services/authorization/oidc-provider-target.js';
import { removeClientIdFromOidcProvider } from '../../../../services/iam/oidc-providers.js';

/** iam:RemoveClientIDFromOpenIDConnectProvider on the provider's ARN. */
export const removeClientIDFromOpenIDConnectProvider = iamOperation('RemoveClientIDFromOpenIDConnectProvider', {
  target: oidcProviderTarget((i) => ({ arn: i.OpenIDConnectProviderArn })),
  execute: async (input, ctx, deps) => {
    await removeClientIdFromOidcProvider(deps, { arn: input.OpenIDConnectProviderArn, clientId: input.ClientID }, ctx);
  },
});
