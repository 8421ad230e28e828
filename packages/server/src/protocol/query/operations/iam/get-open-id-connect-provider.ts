import { iamOperation } from '../../../define-operation.js';
import { oidcProviderTarget } from '../../../../services/authorization/oidc-provider-target.js';
import { getOidcProvider } from '../../../../services/iam/oidc-providers.js';
import { toWireTags } from './identity-wire.js';

/** iam:GetOpenIDConnectProvider on the provider's ARN. */
export const getOpenIDConnectProvider = iamOperation('GetOpenIDConnectProvider', {
  target: oidcProviderTarget((i) => ({ arn: i.OpenIDConnectProviderArn })),
  execute: async (input, ctx, deps) => {
    const p = await getOidcProvider(deps, { arn: input.OpenIDConnectProviderArn }, ctx);
    return { Url: p.url, ClientIDList: p.clientIds, ThumbprintList: p.thumbprints, CreateDate: p.createDate, Tags: toWireTags(p.tags) };
  },
});
