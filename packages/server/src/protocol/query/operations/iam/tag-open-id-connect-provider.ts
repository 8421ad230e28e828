import { iamOperation } from '../../../define-operation.js';
import { oidcProviderTarget } from '../../../../services/authorization/oidc-provider-target.js';
import { tagOidcProvider } from '../../../../services/iam/oidc-providers.js';
import { fromWireTags } from './identity-wire.js';

/** iam:TagOpenIDConnectProvider on the provider's ARN; the new tags are condition keys. */
export const tagOpenIDConnectProvider = iamOperation('TagOpenIDConnectProvider', {
  target: oidcProviderTarget((i) => ({ arn: i.OpenIDConnectProviderArn, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    await tagOidcProvider(deps, { arn: input.OpenIDConnectProviderArn, tags: fromWireTags(input.Tags) }, ctx);
  },
});
