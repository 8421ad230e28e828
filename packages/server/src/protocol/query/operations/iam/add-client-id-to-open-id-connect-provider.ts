import { iamOperation } from '../../../define-operation.js';
import { oidcProviderTarget } from '../../../../services/authorization/oidc-provider-target.js';
import { addClientIdToOidcProvider } from '../../../../services/iam/oidc-providers.js';

/** iam:AddClientIDToOpenIDConnectProvider on the provider's ARN. */
export const addClientIDToOpenIDConnectProvider = iamOperation('AddClientIDToOpenIDConnectProvider', {
  target: oidcProviderTarget((i) => ({ arn: i.OpenIDConnectProviderArn })),
  execute: async (input, ctx, deps) => {
    await addClientIdToOidcProvider(deps, { arn: input.OpenIDConnectProviderArn, clientId: input.ClientID }, ctx);
  },
});
