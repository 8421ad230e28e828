import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listOidcProviders } from '../../../../services/iam/oidc-providers.js';

/** iam:ListOpenIDConnectProviders (resource `*`); every provider's ARN, unpaged as on AWS. */
export const listOpenIDConnectProviders = iamOperation('ListOpenIDConnectProviders', {
  target: iamTarget(() => ({})),
  execute: async (_input, ctx, deps) => {
    const arns = await listOidcProviders(deps, {}, ctx);
    return { OpenIDConnectProviderList: arns.map((Arn) => ({ Arn })) };
  },
});
