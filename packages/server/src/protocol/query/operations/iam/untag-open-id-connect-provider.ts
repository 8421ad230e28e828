import { iamOperation } from '../../../define-operation.js';
import { oidcProviderTarget } from '../../../../services/authorization/oidc-provider-target.js';
import { untagOidcProvider } from '../../../../services/iam/oidc-providers.js';

/** iam:UntagOpenIDConnectProvider on the provider's ARN; the keys are `aws:TagKeys`. */
export const untagOpenIDConnectProvider = iamOperation('UntagOpenIDConnectProvider', {
  target: oidcProviderTarget((i) => ({ arn: i.OpenIDConnectProviderArn, tagKeys: i.TagKeys })),
  execute: async (input, ctx, deps) => {
    await untagOidcProvider(deps, { arn: input.OpenIDConnectProviderArn, tagKeys: input.TagKeys }, ctx);
  },
});
