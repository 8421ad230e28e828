import { iamOperation } from '../../../define-operation.js';
import { oidcProviderTarget } from '../../../../services/authorization/oidc-provider-target.js';
import { updateOidcProviderThumbprint } from '../../../../services/iam/oidc-providers.js';

/** iam:UpdateOpenIDConnectProviderThumbprint on the provider's ARN: replaces the list. */
export const updateOpenIDConnectProviderThumbprint = iamOperation('UpdateOpenIDConnectProviderThumbprint', {
  target: oidcProviderTarget((i) => ({ arn: i.OpenIDConnectProviderArn })),
  execute: async (input, ctx, deps) => {
    await updateOidcProviderThumbprint(deps, { arn: input.OpenIDConnectProviderArn, thumbprints: input.ThumbprintList ?? [] }, ctx);
  },
});
