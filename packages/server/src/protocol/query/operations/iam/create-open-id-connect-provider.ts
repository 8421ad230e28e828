import { iamOperation } from '../../../define-operation.js';
import { oidcProviderTarget } from '../../../../services/authorization/oidc-provider-target.js';
import { createOidcProvider } from '../../../../services/iam/oidc-providers.js';
import { fromWireTags, toWireTags } from './identity-wire.js';

/** iam:CreateOpenIDConnectProvider on the new provider's ARN; tags are condition keys. */
export const createOpenIDConnectProvider = iamOperation('CreateOpenIDConnectProvider', {
  target: oidcProviderTarget((i) => ({ url: i.Url, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    const { arn, tags } = await createOidcProvider(
      deps,
      { url: input.Url, clientIds: input.ClientIDList, thumbprints: input.ThumbprintList, tags: fromWireTags(input.Tags) },
      ctx,
    );
    return { OpenIDConnectProviderArn: arn, ...(tags.length > 0 ? { Tags: toWireTags(tags) } : {}) };
  },
});
